package sockdiag

import (
	"time"

	"github.com/netstat-go/netstat/netstat"
)

// tcpinfo.go decodes the whole struct tcp_info (include/uapi/linux/tcp.h) for views
// that show it, and the other per-socket attributes they ask for.

// Attribute types of inet_diag replies besides AttrInfo.
const (
	AttrCong     = 4  // INET_DIAG_CONG: the congestion-control name, NUL-terminated
	AttrCgroupID = 21 // INET_DIAG_CGROUP_ID: u64
)

// ExtCong is the idiag_ext bit that asks for INET_DIAG_CONG.
const ExtCong = 1 << (AttrCong - 1)

// DecodeFullTCPInfo decodes a struct tcp_info of any length a kernel sends: fields the
// kernel did not send (an older, shorter structure) are left 0. Fewer than 8 bytes,
// the part every kernel has had, are an error.
func DecodeFullTCPInfo(b []byte, ti *netstat.TCPInfo) error {
	if len(b) < 8 {
		return malformed("tcp_info of %d bytes, want at least 8", len(b))
	}
	*ti = netstat.TCPInfo{
		State: netstat.TCPState(b[0]), CAState: b[1], Retransmits: b[2], Probes: b[3],
		Backoff: b[4], Options: b[5], SndWScale: b[6] & 0xf, RcvWScale: b[6] >> 4,
	}
	u32 := func(off int) uint32 {
		if off+4 > len(b) {
			return 0
		}
		return native.Uint32(b[off:])
	}
	u64 := func(off int) uint64 {
		if off+8 > len(b) {
			return 0
		}
		return native.Uint64(b[off:])
	}
	us := func(off int) time.Duration { return time.Duration(u32(off)) * time.Microsecond }
	ms := func(off int) time.Duration { return time.Duration(u32(off)) * time.Millisecond }
	us64 := func(off int) time.Duration { return time.Duration(u64(off)) * time.Microsecond }

	ti.RTO, ti.ATO = us(8), us(12)
	ti.SndMSS, ti.RcvMSS = u32(16), u32(20)
	ti.Unacked, ti.Sacked = u32(24), u32(28)
	ti.Lost, ti.Retrans = u32(32), u32(36)
	// 40: fackets, always 0 since Linux 4.15; 48: last_ack_sent, never set.
	ti.LastDataSent, ti.LastDataRecv, ti.LastAckRecv = ms(44), ms(52), ms(56)
	ti.PMTU, ti.RcvSsthresh = u32(60), u32(64)
	ti.RTT, ti.RTTVar = us(68), us(72)
	ti.SndSsthresh, ti.SndCwnd = u32(76), u32(80)
	ti.AdvMSS, ti.Reordering = u32(84), u32(88)
	ti.RcvRTT, ti.RcvSpace = us(92), u32(96)
	ti.TotalRetrans = u32(100)
	ti.PacingRate, ti.MaxPacingRate = u64(104), u64(112)
	ti.BytesAcked, ti.BytesReceived = u64(120), u64(128)
	ti.SegsOut, ti.SegsIn = u32(136), u32(140)
	ti.NotsentBytes, ti.MinRTT = u32(144), us(148)
	ti.DataSegsIn, ti.DataSegsOut = u32(152), u32(156)
	ti.DeliveryRate = u64(160)
	ti.BusyTime, ti.RwndLimited, ti.SndbufLimited = us64(168), us64(176), us64(184)
	ti.Delivered, ti.DeliveredCE = u32(192), u32(196)
	ti.BytesSent, ti.BytesRetrans = u64(200), u64(208)
	ti.DSackDups, ti.ReordSeen = u32(216), u32(220)
	ti.RcvOOOPack, ti.SndWnd, ti.RcvWnd = u32(224), u32(228), u32(232)
	ti.Rehash = u32(236)
	if len(b) >= 244 {
		ti.TotalRTO = native.Uint16(b[240:])
		ti.TotalRTORecoveries = native.Uint16(b[242:])
	}
	ti.TotalRTOTime = ms(244)
	return nil
}

// congestionName returns the congestion-control name b. Every TCP socket of a dump
// carries one and nearly all carry the same few: the kernel's own algorithms are
// returned as constants (a switch on string(b) does not allocate), so a dump of
// 200,000 sockets does not make 200,000 copies of "cubic".
func congestionName(b []byte) string {
	switch string(b) {
	case "cubic":
		return "cubic"
	case "reno":
		return "reno"
	case "bbr":
		return "bbr"
	case "dctcp":
		return "dctcp"
	case "htcp":
		return "htcp"
	case "vegas":
		return "vegas"
	case "westwood":
		return "westwood"
	case "bic":
		return "bic"
	case "highspeed":
		return "highspeed"
	case "hybla":
		return "hybla"
	case "illinois":
		return "illinois"
	case "scalable":
		return "scalable"
	case "lp":
		return "lp"
	case "veno":
		return "veno"
	case "yeah":
		return "yeah"
	case "nv":
		return "nv"
	case "cdg":
		return "cdg"
	}
	return string(b)
}

// fillExtras sets the tcp_info, congestion control and cgroup of s from the
// attributes of m, when the reply has them. s.Info is set to info, which the caller
// owns (a dump reuses one), or left nil when the reply has no tcp_info.
func fillExtras(s *netstat.Socket, m *InetMsg, info *netstat.TCPInfo) error {
	s.Info, s.Congestion, s.CgroupID = nil, "", 0
	for attrs := m.Attrs; len(attrs) > 0; {
		typ, data, rest, err := SplitAttr(attrs)
		if err != nil {
			return err
		}
		attrs = rest
		switch typ {
		case AttrInfo:
			if info != nil && DecodeFullTCPInfo(data, info) == nil {
				s.Info = info
			}
		case AttrCong:
			n := 0
			for n < len(data) && data[n] != 0 {
				n++
			}
			s.Congestion = congestionName(data[:n])
		case AttrCgroupID:
			if len(data) >= 8 {
				s.CgroupID = native.Uint64(data)
			}
		}
	}
	return nil
}
