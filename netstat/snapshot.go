package netstat

import (
	"net/netip"
	"time"
)

// Process is one process that holds a socket open.
type Process struct {
	PID int
	// Name is the program name net-tools shows: argv[0] up to its first NUL, its base
	// name when it is a path, raw bytes kept, not cut. Empty for a kernel thread.
	Name string
	// Cmdline is the whole argv, NUL-separated arguments split apart.
	Cmdline []string
	// UID is the real uid of the process.
	UID uint32
}

// TCPInfo is the part of the kernel's struct tcp_info (include/uapi/linux/tcp.h) that
// netstat-go shows. Fields that an older kernel does not report are 0.
type TCPInfo struct {
	State       TCPState
	CAState     uint8
	Retransmits uint8 // icsk_retransmits: /proc's "retrnsmt"
	Probes      uint8 // icsk_probes_out: /proc's "timeout"
	Backoff     uint8
	Options     uint8
	// SndWScale and RcvWScale are the window scale factors (4 bits each in the kernel).
	SndWScale, RcvWScale uint8

	RTO, ATO           time.Duration
	SndMSS, RcvMSS     uint32
	Unacked, Sacked    uint32
	Lost, Retrans      uint32
	LastDataSent       time.Duration
	LastDataRecv       time.Duration
	LastAckRecv        time.Duration
	PMTU               uint32
	RcvSsthresh        uint32
	RTT, RTTVar        time.Duration
	SndSsthresh        uint32
	SndCwnd            uint32
	AdvMSS             uint32
	Reordering         uint32
	RcvRTT             time.Duration
	RcvSpace           uint32
	TotalRetrans       uint32
	PacingRate         uint64 // bytes per second
	MaxPacingRate      uint64 // bytes per second
	BytesAcked         uint64 // bytes the peer acknowledged: what was sent
	BytesReceived      uint64
	SegsOut, SegsIn    uint32
	NotsentBytes       uint32
	MinRTT             time.Duration
	DataSegsIn         uint32
	DataSegsOut        uint32
	DeliveryRate       uint64 // bytes per second
	BusyTime           time.Duration
	RwndLimited        time.Duration
	SndbufLimited      time.Duration
	Delivered          uint32
	DeliveredCE        uint32
	BytesSent          uint64
	BytesRetrans       uint64
	DSackDups          uint32
	ReordSeen          uint32
	RcvOOOPack         uint32
	SndWnd             uint32
	RcvWnd             uint32
	Rehash             uint32
	TotalRTO           uint16
	TotalRTORecoveries uint16
	TotalRTOTime       time.Duration
}

// SocketKey identifies a socket across snapshots of the same host, so that a view can
// tell new, changed and closed sockets apart. A connection (a remote port other than
// 0) is its protocol and endpoints, which stay when it moves to TIME_WAIT or its
// request socket becomes a full one; an unconnected socket (listeners, unconnected
// UDP and raw sockets, which may share a local address) also takes its inode, or its
// cookie when the inode is 0.
type SocketKey struct {
	Proto         Proto
	Local, Remote netip.AddrPort
	ID            uint64
}

// Key returns the socket's SocketKey.
func (s *Socket) Key() SocketKey {
	k := SocketKey{Proto: s.Proto, Local: s.Local, Remote: s.Remote}
	if s.Remote.Port() == 0 {
		k.ID = s.Inode
		if k.ID == 0 {
			k.ID = s.Cookie | 1<<63
		}
	}
	return k
}

// ProtoFamily names one socket table: a protocol in an address family.
type ProtoFamily struct {
	Proto  Proto
	Family Family
}

// Partial records what a snapshot could not see. The zero value means it is whole.
type Partial struct {
	// Uninspected are the processes whose open files could not be read (their sockets
	// have no owner in the snapshot), in ascending PID order.
	Uninspected []int
	// ProcUnreadable reports that /proc could not be listed at all: no owners.
	ProcUnreadable bool
	// Fallback are the tables read from /proc/net text files because the kernel has no
	// sock_diag handler for them; their sockets lack cookie, interface, backlog and
	// tcp_info.
	Fallback []ProtoFamily
	// Unsupported are the tables the kernel does not have at all.
	Unsupported []ProtoFamily
}

// Snapshot is the sockets of a host (or network namespace) at one moment, with what
// the query asked for besides.
type Snapshot struct {
	// Taken is when the snapshot was started.
	Taken time.Time
	// Inet holds the TCP, UDP, UDP-Lite and raw sockets in kernel order per table,
	// tables in net-tools' order (tcp, tcp6, udp, udp6, udplite, udplite6, raw, raw6).
	Inet []Socket
	// Unix holds the unix domain sockets when they were asked for.
	Unix []UnixSocket
	// Owners maps a socket inode to every process that holds it, lowest PID first,
	// when owners were asked for; nil otherwise.
	Owners map[uint64][]Process
	// Partial says what could not be seen.
	Partial Partial
}

// OwnersOf returns the processes holding the socket with inode, lowest PID first.
func (s *Snapshot) OwnersOf(inode uint64) []Process {
	if inode == 0 {
		return nil
	}
	return s.Owners[inode]
}
