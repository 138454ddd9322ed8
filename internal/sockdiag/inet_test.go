package sockdiag

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func TestAppendInetRequest(t *testing.T) {
	// struct nlmsghdr (16) + struct inet_diag_req_v2 (56), laid out by hand.
	want := make([]byte, 72)
	ne.PutUint32(want[0:], 72)
	ne.PutUint16(want[4:], 20)     // SOCK_DIAG_BY_FAMILY
	ne.PutUint16(want[6:], 0x301)  // NLM_F_REQUEST|NLM_F_DUMP
	ne.PutUint32(want[8:], 0x1234) // seq
	want[16] = 10                  // AF_INET6
	want[17] = 6                   // IPPROTO_TCP
	want[18] = 2                   // 1 << (INET_DIAG_INFO-1)
	want[19] = 0
	ne.PutUint32(want[20:], 0xffffffff)

	prefix := []byte("keep")
	got := AppendInetRequest(prefix, 0x1234, InetRequest{Family: AFInet6, Protocol: ProtoTCP, Ext: ExtInfo, States: AllStates})
	if diff := cmp.Diff(append([]byte("keep"), want...), got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
}

func TestDecodeInetMsg(t *testing.T) {
	p := inetPayload(diagMsg{
		family: AFInet6, state: 1, timer: 2, retrans: 3,
		src: "[::ffff:127.0.0.1]:8080", dst: "[2001:db8::1]:443",
		expires: 7200000, rq: 5, wq: 6, uid: 1000, i: 123456,
		attrs: nlattr(8, []byte{0}),
	})
	var got InetMsg
	if err := DecodeInetMsg(p, &got); err != nil {
		t.Fatal(err)
	}
	want := InetMsg{
		Family: AFInet6, State: 1, Timer: 2, Retrans: 3,
		SrcPort: 8080, DstPort: 443,
		Src:     netip.MustParseAddr("::ffff:127.0.0.1").As16(),
		Dst:     netip.MustParseAddr("2001:db8::1").As16(),
		Cookie:  0xc0ffee,
		Expires: 7200000, RQueue: 5, WQueue: 6, UID: 1000, Inode: 123456,
		Attrs: nlattr(8, []byte{0}),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("InetMsg (-want +got):\n%s", diff)
	}
	if err := DecodeInetMsg(p[:71], &got); !errors.Is(err, ErrMalformed) {
		t.Errorf("71 bytes: err = %v, want ErrMalformed", err)
	}
}

func TestFillSocket(t *testing.T) {
	tests := []struct {
		name    string
		proto   netstat.Proto
		useInfo bool
		msg     diagMsg
		want    netstat.Socket
	}{
		{
			name:  "listen: the backlog is Backlog, not Send-Q; the bound interface",
			proto: netstat.TCP,
			msg:   diagMsg{family: AFInet, state: 10, src: "127.0.0.1:7000", dst: "0.0.0.0:0", rq: 2, wq: 4096, uid: 1000, i: 42, ifindex: 3},
			want: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4,
				Local: netip.MustParseAddrPort("127.0.0.1:7000"), Remote: netip.MustParseAddrPort("0.0.0.0:0"),
				State: 10, RecvQ: 2, SendQ: 0, UID: 1000, Inode: 42, Backlog: 4096, IfIndex: 3},
		},
		{
			name:  "retransmit timer: idiag_retrans is icsk_retransmits; ms to ticks",
			proto: netstat.TCP,
			msg:   diagMsg{family: AFInet, state: 2, timer: 1, retrans: 2, expires: 769, src: "10.9.0.1:33062", dst: "10.9.0.3:7999", wq: 1, i: 7},
			want: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4,
				Local: netip.MustParseAddrPort("10.9.0.1:33062"), Remote: netip.MustParseAddrPort("10.9.0.3:7999"),
				State: 2, SendQ: 1, Inode: 7, Timer: netstat.TimerOn, TimerTicks: 76, Retransmits: 2},
		},
		{
			name:  "keepalive timer: idiag_retrans is icsk_probes_out",
			proto: netstat.TCP,
			msg:   diagMsg{family: AFInet6, state: 1, timer: 2, retrans: 1, expires: 7198629, src: "[::1]:22", dst: "[::1]:5000", i: 9},
			want: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv6,
				Local: netip.MustParseAddrPort("[::1]:22"), Remote: netip.MustParseAddrPort("[::1]:5000"),
				State: 1, Inode: 9, Timer: netstat.TimerKeepalive, TimerTicks: 719862, Probes: 1},
		},
		{
			name:  "probe timer",
			proto: netstat.TCP,
			msg:   diagMsg{family: AFInet, state: 1, timer: 4, retrans: 1, expires: 140, src: "127.0.0.1:1", dst: "127.0.0.1:2", wq: 2803713},
			want: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4,
				Local: netip.MustParseAddrPort("127.0.0.1:1"), Remote: netip.MustParseAddrPort("127.0.0.1:2"),
				State: 1, SendQ: 2803713, Timer: netstat.TimerProbe, TimerTicks: 14, Probes: 1},
		},
		{
			name:    "tcp_info gives both counters",
			proto:   netstat.TCP,
			useInfo: true,
			msg: diagMsg{family: AFInet, state: 1, timer: 4, retrans: 1, src: "127.0.0.1:1", dst: "127.0.0.1:2",
				attrs: cat(nlattr(8, []byte{0}), nlattr(AttrInfo, tcpInfo(232, 3, 1)))},
			want: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4,
				Local: netip.MustParseAddrPort("127.0.0.1:1"), Remote: netip.MustParseAddrPort("127.0.0.1:2"),
				State: 1, Timer: netstat.TimerProbe, Retransmits: 3, Probes: 1},
		},
		{
			name:    "short tcp_info falls back to idiag_retrans",
			proto:   netstat.TCP,
			useInfo: true,
			msg: diagMsg{family: AFInet, state: 1, timer: 1, retrans: 5, src: "127.0.0.1:1", dst: "127.0.0.1:2",
				attrs: nlattr(AttrInfo, tcpInfo(3, 9, 9))},
			want: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4,
				Local: netip.MustParseAddrPort("127.0.0.1:1"), Remote: netip.MustParseAddrPort("127.0.0.1:2"),
				State: 1, Timer: netstat.TimerOn, Retransmits: 5},
		},
		{
			name:  "time-wait: substate, timer 3",
			proto: netstat.TCP,
			msg:   diagMsg{family: AFInet, state: 5, timer: 3, expires: 58629, src: "127.0.0.1:41051", dst: "127.0.0.1:7004"},
			want: netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4,
				Local: netip.MustParseAddrPort("127.0.0.1:41051"), Remote: netip.MustParseAddrPort("127.0.0.1:7004"),
				State: 5, Timer: netstat.TimerTimeWait, TimerTicks: 5862},
		},
		{
			name:  "udp: queues as given, v4-mapped stays 16 bytes",
			proto: netstat.UDP,
			msg:   diagMsg{family: AFInet6, state: 1, src: "[::ffff:127.0.0.1]:5353", dst: "[::ffff:127.0.0.1]:53", rq: 2304, wq: 768, uid: 102, i: 99},
			want: netstat.Socket{Proto: netstat.UDP, Family: netstat.IPv6,
				Local: netip.MustParseAddrPort("[::ffff:127.0.0.1]:5353"), Remote: netip.MustParseAddrPort("[::ffff:127.0.0.1]:53"),
				State: 1, RecvQ: 2304, SendQ: 768, UID: 102, Inode: 99},
		},
		{
			name:  "udp-lite unconnected: state 7",
			proto: netstat.UDPLite,
			msg:   diagMsg{family: AFInet, state: 7, src: "0.0.0.0:7000", dst: "0.0.0.0:0", i: 5},
			want: netstat.Socket{Proto: netstat.UDPLite, Family: netstat.IPv4,
				Local: netip.MustParseAddrPort("0.0.0.0:7000"), Remote: netip.MustParseAddrPort("0.0.0.0:0"),
				State: 7, Inode: 5},
		},
		{
			name:  "raw: local port is the protocol, remote port 0",
			proto: netstat.RAW,
			msg:   diagMsg{family: AFInet, state: 1, src: "127.0.0.1:17", dst: "127.0.0.1:17", i: 3},
			want: netstat.Socket{Proto: netstat.RAW, Family: netstat.IPv4,
				Local: netip.MustParseAddrPort("127.0.0.1:17"), Remote: netip.MustParseAddrPort("127.0.0.1:0"),
				State: 1, Inode: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m InetMsg
			if err := DecodeInetMsg(inetPayload(tt.msg), &m); err != nil {
				t.Fatal(err)
			}
			got := netstat.Socket{Retransmits: 77, Probes: 77, Backlog: 77, IfIndex: 77} // stale values must be reset
			if err := fillSocket(&got, &m, tt.proto, tt.useInfo); err != nil {
				t.Fatal(err)
			}
			tt.want.Cookie = 0xc0ffee
			if diff := cmp.Diff(tt.want, got, cmpAddrPort); diff != "" {
				t.Errorf("Socket (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFillSocketErrors(t *testing.T) {
	var m InetMsg
	if err := DecodeInetMsg(inetPayload(diagMsg{family: AFInet, src: "1.2.3.4:1", dst: "1.2.3.4:2"}), &m); err != nil {
		t.Fatal(err)
	}
	m.Family = 1
	var s netstat.Socket
	if err := fillSocket(&s, &m, netstat.TCP, false); !errors.Is(err, ErrMalformed) {
		t.Errorf("family 1: err = %v, want ErrMalformed", err)
	}
	m.Family = AFInet
	m.Attrs = []byte{200, 0, 2, 0}
	if err := fillSocket(&s, &m, netstat.TCP, true); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad attributes: err = %v, want ErrMalformed", err)
	}
}

func TestDecodeTCPInfo(t *testing.T) {
	var ti TCPInfo
	if err := DecodeTCPInfo([]byte{1, 4, 2, 3, 9}, &ti); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(TCPInfo{State: 1, CAState: 4, Retransmits: 2, Probes: 3}, ti); diff != "" {
		t.Errorf("TCPInfo (-want +got):\n%s", diff)
	}
	if err := DecodeTCPInfo([]byte{1, 4, 2}, &ti); !errors.Is(err, ErrMalformed) {
		t.Errorf("3 bytes: err = %v, want ErrMalformed", err)
	}
}
