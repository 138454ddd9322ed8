package sockdiag

import (
	"net/netip"

	"github.com/netstat-go/netstat/netstat"
)

// inet.go encodes inet_diag requests (struct inet_diag_req_v2) and decodes their replies
// (struct inet_diag_msg and its attributes, include/uapi/linux/inet_diag.h).

// Address families and IP protocol numbers used in requests.
const (
	AFInet  = 2  // AF_INET
	AFInet6 = 10 // AF_INET6
	AFUnix  = 1  // AF_UNIX

	ProtoTCP     = 6   // IPPROTO_TCP
	ProtoUDP     = 17  // IPPROTO_UDP
	ProtoUDPLite = 136 // IPPROTO_UDPLITE
	ProtoRaw     = 255 // IPPROTO_RAW: selects raw_diag
)

// Attribute types of inet_diag replies that this package reads.
const (
	AttrInfo = 2 // INET_DIAG_INFO: struct tcp_info for TCP
)

// ExtInfo is the idiag_ext bit that asks for INET_DIAG_INFO.
const ExtInfo = 1 << (AttrInfo - 1)

// AllStates is the idiag_states mask that selects every state. For unix_diag that is
// what every listing wants; for inet_diag it is not: since Linux 6.8 it also selects
// TCP_BOUND_INACTIVE (bit 13), sockets that are bound but neither listening nor
// connecting, which no /proc/net file lists. Internet dumps use ProcStates.
const AllStates = 0xffffffff

// ProcStates is the idiag_states mask of exactly the states /proc/net/tcp[6] shows:
// TCP_ESTABLISHED (1) to TCP_NEW_SYN_RECV (12), the sockets of the listening and
// established hash tables. It leaves out bit 0 (no such state), TCP_BOUND_INACTIVE (13,
// the bind hash table that /proc never walks) and any state a later kernel adds. UDP,
// UDP-Lite and raw sockets are in state 1 or 7, both selected.
const ProcStates = 1<<(tcpNewSynRecv+1) - 1<<tcpEstablished

const (
	tcpEstablished = 1
	tcpNewSynRecv  = 12
)

const (
	inetRequestLen = 56 // sizeof(struct inet_diag_req_v2)
	inetMsgLen     = 72 // sizeof(struct inet_diag_msg)
)

// InetRequest is the body of an inet_diag dump request (struct inet_diag_req_v2; the
// socket id is left zero, since dumps do not use it).
type InetRequest struct {
	Family   uint8  // AFInet or AFInet6
	Protocol uint8  // ProtoTCP, ProtoUDP, ProtoUDPLite or ProtoRaw
	Ext      uint8  // extensions to add to each reply, e.g. ExtInfo
	RawProto uint8  // raw_diag only (sdiag_raw_protocol); 0 dumps every protocol
	States   uint32 // bit i selects kernel state i
	// Bytecode, when not empty, is an inet_diag program (see Bytecode) sent as the
	// INET_DIAG_REQ_BYTECODE attribute: the kernel reports only the sockets it accepts.
	Bytecode []byte
}

// AppendInetRequest appends a complete SOCK_DIAG_BY_FAMILY dump request with sequence
// number seq to b.
func AppendInetRequest(b []byte, seq uint32, r InetRequest) []byte {
	start := len(b)
	b = appendHeader(b, TypeSockDiagByFamily, flagRequest|flagDump, seq)
	b = append(b, r.Family, r.Protocol, r.Ext, r.RawProto)
	b = native.AppendUint32(b, r.States)
	b = append(b, make([]byte, inetRequestLen-8)...)
	if len(r.Bytecode) > 0 {
		b = native.AppendUint16(b, uint16(attrLen+len(r.Bytecode)))
		b = native.AppendUint16(b, attrReqBytecode)
		b = append(b, r.Bytecode...)
		b = append(b, make([]byte, align4(len(b)-start)-(len(b)-start))...)
	}
	return finishMessage(b, start)
}

// InetMsg is one socket of an inet_diag reply (struct inet_diag_msg). Ports are in host
// order; addresses keep their network byte order, IPv4 ones in the first four bytes.
type InetMsg struct {
	Family  uint8
	State   uint8 // TCP state (a TIME_WAIT socket reports its substate); sk_state otherwise
	Timer   uint8 // idiag_timer: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 probe
	Retrans uint8 // idiag_retrans: retransmits or probes, depending on Timer

	SrcPort, DstPort uint16
	Src, Dst         [16]byte
	Interface        uint32
	Cookie           uint64

	Expires uint32 // milliseconds until the timer fires
	RQueue  uint32
	WQueue  uint32 // for TCP LISTEN sockets, the backlog limit
	UID     uint32
	Inode   uint32

	// Attrs holds the attributes after the fixed part; it aliases the decoded bytes.
	Attrs []byte
}

// DecodeInetMsg decodes the payload of one SOCK_DIAG_BY_FAMILY message of an inet_diag
// reply into m.
func DecodeInetMsg(b []byte, m *InetMsg) error {
	if len(b) < inetMsgLen {
		return malformed("inet_diag_msg of %d bytes, want at least %d", len(b), inetMsgLen)
	}
	m.Family, m.State, m.Timer, m.Retrans = b[0], b[1], b[2], b[3]
	m.SrcPort = uint16(b[4])<<8 | uint16(b[5])
	m.DstPort = uint16(b[6])<<8 | uint16(b[7])
	copy(m.Src[:], b[8:24])
	copy(m.Dst[:], b[24:40])
	m.Interface = native.Uint32(b[40:])
	m.Cookie = uint64(native.Uint32(b[44:])) | uint64(native.Uint32(b[48:]))<<32
	m.Expires = native.Uint32(b[52:])
	m.RQueue = native.Uint32(b[56:])
	m.WQueue = native.Uint32(b[60:])
	m.UID = native.Uint32(b[64:])
	m.Inode = native.Uint32(b[68:])
	m.Attrs = b[inetMsgLen:]
	return nil
}

// TCPInfo holds the leading fields of struct tcp_info (INET_DIAG_INFO of TCP sockets),
// the only ones /proc/net/tcp also shows.
type TCPInfo struct {
	State       uint8
	CAState     uint8
	Retransmits uint8 // icsk_retransmits: /proc's "retrnsmt"
	Probes      uint8 // icsk_probes_out: /proc's "timeout"
}

// DecodeTCPInfo decodes the first bytes of a struct tcp_info. Longer structures from
// newer kernels are fine; fewer than 4 bytes are an error.
func DecodeTCPInfo(b []byte, ti *TCPInfo) error {
	if len(b) < 4 {
		return malformed("tcp_info of %d bytes, want at least 4", len(b))
	}
	ti.State, ti.CAState, ti.Retransmits, ti.Probes = b[0], b[1], b[2], b[3]
	return nil
}

// fillSocket sets s to the /proc view of m, a socket of proto. For TCP with useInfo,
// the retransmit and probe counters come from the INET_DIAG_INFO attribute when m has
// one.
//
// Request sockets get uid 0 here, as inet_diag reports them; /proc shows their
// listener's uid, which the caller supplies. Cookie and IfIndex are the message's; a TCP
// listener's Backlog is idiag_wqueue, and its SendQ is 0 (see the Client for /proc's).
func fillSocket(s *netstat.Socket, m *InetMsg, proto netstat.Proto, useInfo bool) error {
	var local, remote netip.Addr
	switch m.Family {
	case AFInet:
		s.Family = netstat.IPv4
		local = netip.AddrFrom4([4]byte(m.Src[:4]))
		remote = netip.AddrFrom4([4]byte(m.Dst[:4]))
	case AFInet6:
		s.Family = netstat.IPv6
		local = netip.AddrFrom16(m.Src)
		remote = netip.AddrFrom16(m.Dst)
	default:
		return malformed("inet_diag_msg of address family %d", m.Family)
	}
	s.Proto = proto
	rport := m.DstPort
	if proto == netstat.RAW {
		rport = 0 // the local "port" is the protocol number; /proc prints 0 remotely
	}
	s.Local = netip.AddrPortFrom(local, m.SrcPort)
	s.Remote = netip.AddrPortFrom(remote, rport)
	s.State = netstat.TCPState(m.State)
	s.RecvQ = uint64(m.RQueue)
	s.SendQ = uint64(m.WQueue)
	s.UID = m.UID
	s.Inode = uint64(m.Inode)
	s.Timer = netstat.TimerKind(m.Timer)
	s.TimerTicks = uint64(m.Expires / 10) // ms to USER_HZ (1/100 s); never negative
	s.Retransmits, s.Probes = 0, 0
	s.Cookie = m.Cookie
	s.IfIndex = m.Interface
	s.Backlog = 0
	if proto != netstat.TCP {
		return nil
	}
	if netstat.TCPState(m.State) == netstat.Listen {
		// idiag_wqueue is the backlog limit. /proc shows write_seq - snd_una, which
		// inet_diag does not carry for listeners (tcp_info stops before it): 0 here,
		// the Client fills in /proc's value when it can read /proc.
		s.Backlog = m.WQueue
		s.SendQ = 0
	}
	if useInfo {
		info, ok, err := FindAttr(m.Attrs, AttrInfo)
		if err != nil {
			return err
		}
		var ti TCPInfo
		if ok && DecodeTCPInfo(info, &ti) == nil {
			s.Retransmits, s.Probes = uint32(ti.Retransmits), uint32(ti.Probes)
			return nil
		}
	}
	// idiag_retrans is icsk_retransmits under the retransmit timer (and num_retrans for
	// request sockets) and icsk_probes_out under the keepalive and probe timers.
	switch netstat.TimerKind(m.Timer) {
	case netstat.TimerOn:
		s.Retransmits = uint32(m.Retrans)
	case netstat.TimerKeepalive, netstat.TimerProbe:
		s.Probes = uint32(m.Retrans)
	}
	return nil
}

// isRequestSock reports whether s, filled from an inet_diag TCP reply, is a request
// socket (a SYN_RECV minisocket): inet_diag reports those with uid 0 and inode 0.
func isRequestSock(s *netstat.Socket) bool {
	return s.Proto == netstat.TCP && s.State == netstat.SynRecv && s.UID == 0 && s.Inode == 0
}
