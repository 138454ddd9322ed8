// Package netstat holds the domain types shared by every data source, renderer and
// analysis of netstat-go: sockets, routes, interfaces, group memberships and counters.
// It does no I/O.
package netstat

import (
	"context"
	"errors"
	"net/netip"
)

// Proto is the transport protocol of an Internet socket.
type Proto uint8

// The Internet socket protocols netstat lists, in the order net-tools prints them.
const (
	TCP Proto = iota + 1
	UDP
	UDPLite
	RAW
)

// String returns the protocol's lower-case name ("tcp", "udp", "udplite", "raw").
func (p Proto) String() string {
	switch p {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	case UDPLite:
		return "udplite"
	case RAW:
		return "raw"
	}
	return "unknown"
}

// ServiceProto is the protocol whose service names (/etc/services) a socket's ports
// have: "tcp", "udp" (UDP and UDP-Lite) or "raw" (the "port" of a raw socket is an IP
// protocol number).
func (p Proto) ServiceProto() string {
	switch p {
	case TCP:
		return "tcp"
	case RAW:
		return "raw"
	}
	return "udp"
}

// Family is an address family of Internet sockets.
type Family uint8

// The two Internet address families.
const (
	IPv4 Family = 4
	IPv6 Family = 6
)

// TCPState is the kernel's TCP state number (include/net/tcp_states.h).
type TCPState uint8

// Kernel TCP states.
const (
	Established TCPState = 1 + iota
	SynSent
	SynRecv
	FinWait1
	FinWait2
	TimeWait
	Close
	CloseWait
	LastAck
	Listen
	Closing
	NewSynRecv
)

var tcpStateNames = [...]string{
	"", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
	"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
}

// String returns the state name as net-tools prints it; 0 is the empty string and
// numbers net-tools has no name for are "UNKNOWN".
func (s TCPState) String() string {
	if int(s) < len(tcpStateNames) {
		return tcpStateNames[s]
	}
	return "UNKNOWN"
}

// TimerKind is the code of the pending socket timer, as /proc/net/tcp's "tr" column.
type TimerKind uint8

// Timer codes shared by /proc/net/tcp and inet_diag's idiag_timer.
const (
	TimerOff       TimerKind = 0
	TimerOn        TimerKind = 1 // retransmit, reordering or loss-probe timer
	TimerKeepalive TimerKind = 2
	TimerTimeWait  TimerKind = 3
	TimerProbe     TimerKind = 4 // zero-window probe
)

// Socket is one Internet socket (TCP, UDP, UDP-Lite or raw) with the values
// /proc/net/{tcp,udp,udplite,raw}[6] shows for it.
type Socket struct {
	Proto  Proto
	Family Family
	// Local and Remote are the endpoints. For raw sockets the local "port" is the IP
	// protocol number and the remote port is 0. IPv6 sockets keep 16-byte addresses,
	// including IPv4-mapped ones.
	Local, Remote netip.AddrPort
	// State is the kernel state: any TCPState for TCP; Established (connected) or
	// Close for UDP, UDP-Lite and raw, which share the kernel's numbering.
	State TCPState
	// RecvQ and SendQ as /proc shows them: for LISTEN, the accept queue and 0.
	RecvQ, SendQ uint64
	UID          uint32
	Inode        uint64
	Timer        TimerKind
	// TimerTicks is the time to expiry in 1/100 s (USER_HZ), never negative.
	TimerTicks uint64
	// Retransmits and Probes are /proc's "retrnsmt" and "timeout" columns.
	Retransmits uint32
	Probes      uint32

	// Cookie is the kernel's socket cookie (inet_diag's idiag_cookie), the handle
	// SOCK_DESTROY takes; 0 when the socket came from a /proc file.
	Cookie uint64
	// IfIndex is the interface the socket is bound to (SO_BINDTODEVICE), 0 for none or
	// when unknown (/proc).
	IfIndex uint32
	// Backlog is a TCP listener's accept-queue limit (the listen() backlog as the kernel
	// capped it); 0 for other sockets and when unknown (/proc). SendQ stays what /proc
	// prints.
	Backlog uint32
	// Info is the socket's tcp_info when the query asked for it (TCP only), else nil.
	Info *TCPInfo
	// Congestion is the TCP congestion-control algorithm when tcp_info was asked for.
	Congestion string
	// CgroupID is the cgroup v2 id of the socket's creator when asked for, else 0.
	CgroupID uint64
}

// Listening reports whether net-tools treats the socket as a server: for TCP a zero
// remote port, for UDP, UDP-Lite and raw an all-zero remote address.
func (s *Socket) Listening() bool {
	if s.Proto == TCP {
		return s.Remote.Port() == 0
	}
	return !s.Remote.Addr().IsValid() || s.Remote.Addr().IsUnspecified()
}

// UnixType is a unix socket's type (SOCK_*), as /proc/net/unix's "Type" column.
type UnixType uint16

// Unix socket types (SOCK_*).
const (
	UnixStream    UnixType = 1
	UnixDgram     UnixType = 2
	UnixRaw       UnixType = 3
	UnixRDM       UnixType = 4
	UnixSeqPacket UnixType = 5
)

// String is the name net-tools prints for the type: STREAM, DGRAM, RAW, RDM,
// SEQPACKET or UNKNOWN.
func (t UnixType) String() string {
	switch t {
	case UnixStream:
		return "STREAM"
	case UnixDgram:
		return "DGRAM"
	case UnixRaw:
		return "RAW"
	case UnixRDM:
		return "RDM"
	case UnixSeqPacket:
		return "SEQPACKET"
	}
	return "UNKNOWN"
}

// UnixState is a unix socket's socket-layer state (SS_*), as /proc/net/unix's "St"
// column.
type UnixState uint8

// Unix socket-layer states (SS_*).
const (
	UnixFree          UnixState = 0
	UnixUnconnected   UnixState = 1
	UnixConnecting    UnixState = 2
	UnixConnected     UnixState = 3
	UnixDisconnecting UnixState = 4
)

// String names the state: FREE, UNCONNECTED, CONNECTING, CONNECTED, DISCONNECTING or
// UNKNOWN. A listener is UNCONNECTED here; UnixSocket.StateName tells it apart.
func (s UnixState) String() string {
	switch s {
	case UnixFree:
		return "FREE"
	case UnixUnconnected:
		return "UNCONNECTED"
	case UnixConnecting:
		return "CONNECTING"
	case UnixConnected:
		return "CONNECTED"
	case UnixDisconnecting:
		return "DISCONNECTING"
	}
	return "UNKNOWN"
}

// UnixAcceptConn is the __SO_ACCEPTCON bit of /proc/net/unix's Flags: a listener.
const UnixAcceptConn = 1 << 16

// UnixSocket is one row of /proc/net/unix.
type UnixSocket struct {
	RefCnt   uint64
	Protocol uint64
	Flags    uint64
	Type     UnixType
	State    UnixState
	// HasInode is false only for kernels whose file lacks the Inode column.
	HasInode bool
	Inode    uint64
	// Path is the bound name as the kernel prints it: abstract names start with '@'.
	// net-tools keeps only its first whitespace-delimited token.
	Path string
}

// StateName names the socket-layer state: FREE, UNCONNECTED, LISTENING (unconnected
// with the __SO_ACCEPTCON flag), CONNECTING, CONNECTED, DISCONNECTING or UNKNOWN.
// net-tools prints UNCONNECTED as an empty column.
func (u *UnixSocket) StateName() string {
	if u.Listening() {
		return "LISTENING"
	}
	return u.State.String()
}

// Listening reports whether net-tools treats the unix socket as a server.
func (u *UnixSocket) Listening() bool {
	return u.State == UnixUnconnected && u.Flags&UnixAcceptConn != 0
}

// ErrNotSupported is returned (wrapped) by a source when the kernel has no support for
// the requested protocol at all (e.g. its /proc file does not exist).
var ErrNotSupported = errors.New("protocol not supported on this system")

// SocketSource yields the sockets of the running system in kernel order, one at a time,
// so that callers can stream them. The *Socket passed to fn is reused after fn returns.
type SocketSource interface {
	// InetSockets calls fn for each socket of proto in family, in the order the kernel
	// lists them in /proc/net/<proto>[6].
	InetSockets(ctx context.Context, proto Proto, family Family, fn func(*Socket) error) error
	// UnixSockets calls fn for each unix domain socket in /proc/net/unix order.
	UnixSockets(ctx context.Context, fn func(*UnixSocket) error) error
}
