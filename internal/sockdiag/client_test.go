package sockdiag

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

func inetReq(seq uint32, family, proto, ext uint8, states uint32) []byte {
	return AppendInetRequest(nil, seq, InetRequest{Family: family, Protocol: proto, Ext: ext, States: states})
}

// collect runs InetSockets and returns copies of the rows.
func collect(c *Client, proto netstat.Proto, fam netstat.Family, opts Options) ([]netstat.Socket, error) {
	var out []netstat.Socket
	err := c.InetSockets(context.Background(), proto, fam, opts, func(s *netstat.Socket) error {
		out = append(out, *s)
		return nil
	})
	return out, err
}

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

func TestInetSocketsTCP(t *testing.T) {
	listener := diagMsg{family: AFInet, state: 10, src: "0.0.0.0:7000", dst: "0.0.0.0:0", rq: 1, wq: 4096, uid: 1000, i: 11}
	specific := diagMsg{family: AFInet, state: 10, src: "127.0.0.2:7001", dst: "0.0.0.0:0", wq: 128, uid: 1001, i: 12}
	established := diagMsg{family: AFInet, state: 1, timer: 2, retrans: 0, expires: 7199990, src: "127.0.0.1:7000", dst: "127.0.0.1:40000", rq: 4096, uid: 1000, i: 13}
	request := diagMsg{family: AFInet, state: 3, timer: 1, retrans: 1, expires: 1630, src: "127.0.0.1:7000", dst: "127.0.0.1:40001"}
	request2 := diagMsg{family: AFInet, state: 3, timer: 1, src: "127.0.0.2:7001", dst: "127.0.0.1:40002"}
	orphan := diagMsg{family: AFInet, state: 3, timer: 1, src: "127.0.0.1:9999", dst: "127.0.0.1:40003"}
	timeWait := diagMsg{family: AFInet, state: 6, timer: 3, expires: 58620, src: "127.0.0.1:40004", dst: "127.0.0.1:7000"}

	k := &fakeKernel{t: t, script: []exchange{{
		req: inetReq(1, AFInet, ProtoTCP, 0, ProcStates),
		replies: [][]byte{
			cat(sockMsg(1, listener), sockMsg(1, specific), sockMsg(1, established)),
			cat(sockMsg(1, request), sockMsg(1, request2), sockMsg(1, timeWait)),
			cat(sockMsg(1, orphan), doneMsg(1, 0)),
		},
	}}}
	c := NewClient(k.dial)
	got, err := collect(c, netstat.TCP, netstat.IPv4, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []netstat.Socket{
		{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("0.0.0.0:7000"), Remote: ap("0.0.0.0:0"), State: 10, RecvQ: 1, UID: 1000, Inode: 11},
		{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("127.0.0.2:7001"), Remote: ap("0.0.0.0:0"), State: 10, UID: 1001, Inode: 12},
		{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("127.0.0.1:7000"), Remote: ap("127.0.0.1:40000"), State: 1, RecvQ: 4096, UID: 1000, Inode: 13, Timer: 2, TimerTicks: 719999},
		{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("127.0.0.1:7000"), Remote: ap("127.0.0.1:40001"), State: 3, UID: 1000, Timer: 1, TimerTicks: 163, Retransmits: 1},
		{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("127.0.0.2:7001"), Remote: ap("127.0.0.1:40002"), State: 3, UID: 1001, Timer: 1},
		{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("127.0.0.1:40004"), Remote: ap("127.0.0.1:7000"), State: 6, Timer: 3, TimerTicks: 5862},
		{Proto: netstat.TCP, Family: netstat.IPv4, Local: ap("127.0.0.1:9999"), Remote: ap("127.0.0.1:40003"), State: 3, Timer: 1},
	}
	if diff := cmp.Diff(want, got, cmpAddrPort, ignoreDiagOnly); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// What only netlink has: every row's cookie, and the backlog of listeners alone
	// (idiag_wqueue), which Send-Q does not show.
	for i, g := range got {
		wantBacklog := map[int]uint32{0: 4096, 1: 128}[i]
		if g.Cookie != 0xc0ffee || g.Backlog != wantBacklog || g.IfIndex != 0 {
			t.Errorf("row %d: cookie %#x, backlog %d, interface %d; want 0xc0ffee, %d, 0", i, g.Cookie, g.Backlog, g.IfIndex, wantBacklog)
		}
	}
	if k.dials != 1 || k.open != 1 {
		t.Errorf("dials = %d, open = %d; want one connection, kept open", k.dials, k.open)
	}
	if len(k.script) != 0 {
		t.Errorf("%d exchanges left", len(k.script))
	}
}

func TestInetSocketsRequestOnDualStackListener(t *testing.T) {
	// An IPv4 connection to a dual-stack listener is a v4-mapped request socket.
	wild := diagMsg{family: AFInet6, state: 10, src: "[::]:8080", dst: "[::]:0", uid: 1234, i: 1}
	mapped := diagMsg{family: AFInet6, state: 10, src: "[::ffff:127.0.0.1]:8080", dst: "[::]:0", uid: 99, i: 2}
	tests := []struct {
		name      string
		listeners []diagMsg
		wantUID   uint32
	}{
		{name: "wildcard", listeners: []diagMsg{wild}, wantUID: 1234},
		{name: "v4-mapped address before wildcard", listeners: []diagMsg{wild, mapped}, wantUID: 99},
		{name: "no listener", wantUID: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var replies [][]byte
			for _, l := range tt.listeners {
				replies = append(replies, sockMsg(1, l))
			}
			req := diagMsg{family: AFInet6, state: 3, timer: 1, src: "[::ffff:127.0.0.1]:8080", dst: "[::ffff:127.0.0.1]:5555"}
			replies = append(replies, sockMsg(1, req), cat(sockMsg(1, req), doneMsg(1, 0)))
			k := &fakeKernel{t: t, script: []exchange{{req: inetReq(1, AFInet6, ProtoTCP, 0, ProcStates), replies: replies}}}
			got, err := collect(NewClient(k.dial), netstat.TCP, netstat.IPv6, Options{})
			if err != nil {
				t.Fatal(err)
			}
			n := len(tt.listeners)
			if len(got) != n+2 || got[n].UID != tt.wantUID || got[n+1].UID != tt.wantUID {
				t.Errorf("rows %+v, want two request sockets of uid %d", got[n:], tt.wantUID)
			}
		})
	}
}

func TestInetSocketsStates(t *testing.T) {
	// Without LISTEN in the dump, a request socket's listener is fetched separately.
	states := uint32(1<<netstat.SynRecv | 1<<netstat.NewSynRecv)
	k := &fakeKernel{t: t, script: []exchange{
		{
			req:     inetReq(1, AFInet6, ProtoTCP, ExtInfo, states),
			replies: [][]byte{cat(sockMsg(1, diagMsg{family: AFInet6, state: 3, timer: 1, retrans: 2, src: "[::1]:443", dst: "[::1]:5555"}), doneMsg(1, 0))},
		},
		{
			req:     inetReq(1, AFInet6, ProtoTCP, 0, 1<<10),
			replies: [][]byte{cat(sockMsg(1, diagMsg{family: AFInet6, state: 10, src: "[::1]:443", dst: "[::]:0", uid: 33}), doneMsg(1, 0))},
		},
	}}
	got, err := collect(NewClient(k.dial), netstat.TCP, netstat.IPv6, Options{Timers: true, States: 1 << netstat.SynRecv})
	if err != nil {
		t.Fatal(err)
	}
	want := []netstat.Socket{{Proto: netstat.TCP, Family: netstat.IPv6, Local: ap("[::1]:443"), Remote: ap("[::1]:5555"), State: 3, UID: 33, Timer: 1, Retransmits: 2}}
	if diff := cmp.Diff(want, got, cmpAddrPort, ignoreDiagOnly); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestInetSocketsProtocols(t *testing.T) {
	tests := []struct {
		proto     netstat.Proto
		fam       netstat.Family
		wantProto uint8
		wantFam   uint8
	}{
		{netstat.UDP, netstat.IPv4, ProtoUDP, AFInet},
		{netstat.UDP, netstat.IPv6, ProtoUDP, AFInet6},
		{netstat.UDPLite, netstat.IPv6, ProtoUDPLite, AFInet6},
		{netstat.RAW, netstat.IPv4, ProtoRaw, AFInet},
	}
	for _, tt := range tests {
		t.Run(procName(tt.proto, tt.fam), func(t *testing.T) {
			src, dst := "0.0.0.0:1", "0.0.0.0:0"
			if tt.fam == netstat.IPv6 {
				src, dst = "[::]:1", "[::]:0"
			}
			k := &fakeKernel{t: t, script: []exchange{{
				// Timers never adds INET_DIAG_INFO outside TCP.
				req:     inetReq(1, tt.wantFam, tt.wantProto, 0, ProcStates),
				replies: [][]byte{cat(sockMsg(1, diagMsg{family: tt.wantFam, state: 7, src: src, dst: dst, rq: 1, wq: 2, uid: 3, i: 4}), doneMsg(1, 0))},
			}}}
			got, err := collect(NewClient(k.dial), tt.proto, tt.fam, Options{Timers: true})
			if err != nil {
				t.Fatal(err)
			}
			want := []netstat.Socket{{Proto: tt.proto, Family: tt.fam, Local: ap(src), Remote: ap(dst), State: 7, RecvQ: 1, SendQ: 2, UID: 3, Inode: 4}}
			if diff := cmp.Diff(want, got, cmpAddrPort, ignoreDiagOnly); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInetSocketsErrors(t *testing.T) {
	errStop := errors.New("stop")
	row := diagMsg{family: AFInet, state: 7, src: "0.0.0.0:1", dst: "0.0.0.0:0"}
	req := inetReq(1, AFInet, ProtoUDP, 0, ProcStates)
	tests := []struct {
		name       string
		script     []exchange
		fnErr      error
		ctxDone    bool
		wantRows   int
		wantErr    error // matched with errors.Is
		wantClosed bool  // the connection was discarded
	}{
		{
			name:     "no raw_diag: -ENOENT after NLMSG_DONE",
			script:   []exchange{{req: req, replies: [][]byte{doneMsg(1, -2)}}},
			wantErr:  ErrUnsupported,
			wantRows: 0,
		},
		{
			name:    "NLMSG_ERROR -EOPNOTSUPP",
			script:  []exchange{{req: req, replies: [][]byte{errorMsg(1, -95)}}},
			wantErr: ErrUnsupported,
		},
		{
			name:    "NLMSG_ERROR -EPERM is not unsupported",
			script:  []exchange{{req: req, replies: [][]byte{errorMsg(1, -1)}}},
			wantErr: syscall.Errno(1),
		},
		{
			name:     "callback error stops the dump",
			script:   []exchange{{req: req, replies: [][]byte{cat(sockMsg(1, row), sockMsg(1, row)), doneMsg(1, 0)}}},
			fnErr:    errStop,
			wantRows: 1,
			wantErr:  errStop, wantClosed: true,
		},
		{
			name:    "context cancelled",
			script:  []exchange{{req: req, replies: [][]byte{doneMsg(1, 0)}}},
			ctxDone: true,
			wantErr: context.Canceled, wantClosed: true,
		},
		{
			name:     "malformed message",
			script:   []exchange{{req: req, replies: [][]byte{cat(sockMsg(1, row), []byte{200, 0, 0, 0, 20, 0})}}},
			wantRows: 1,
			wantErr:  ErrMalformed, wantClosed: true,
		},
		{
			name:    "short inet_diag_msg",
			script:  []exchange{{req: req, replies: [][]byte{nlmsg(20, 2, 1, make([]byte, 40))}}},
			wantErr: ErrMalformed, wantClosed: true,
		},
		{
			name:    "wrong family",
			script:  []exchange{{req: req, replies: [][]byte{sockMsg(1, diagMsg{family: AFInet6, src: "[::]:1", dst: "[::]:0"})}}},
			wantErr: ErrMalformed, wantClosed: true,
		},
		{
			name:    "short NLMSG_ERROR",
			script:  []exchange{{req: req, replies: [][]byte{nlmsg(typeError, 0, 1, []byte{1})}}},
			wantErr: ErrMalformed, wantClosed: true,
		},
		{
			name:    "send fails",
			script:  []exchange{{req: req, sendErr: syscall.Errno(105)}},
			wantErr: syscall.Errno(105), wantClosed: true,
		},
		{
			name: "stale, interrupted, no-op and ack messages are not errors",
			script: []exchange{{req: req, replies: [][]byte{
				cat(sockMsg(0, row), doneMsg(0, -16)), // a previous dump's leftovers
				cat(nlmsg(TypeSockDiagByFamily, 0x2|flagDumpIntr, 1, inetPayload(row)), nlmsg(typeNoop, 0, 1, nil), errorMsg(1, 0)),
				cat(nlmsg(99, 0, 1, []byte{1, 2, 3, 4}), doneMsg(1, 0), sockMsg(1, row)), // nothing after DONE counts
			}}},
			wantRows: 1,
		},
		{
			name:     "old kernel: NLMSG_DONE without payload",
			script:   []exchange{{req: req, replies: [][]byte{cat(sockMsg(1, row), nlmsg(typeDone, 2, 1, nil))}}},
			wantRows: 1,
		},
		{
			name:    "overrun",
			script:  []exchange{{req: req, replies: [][]byte{nlmsg(typeOverrun, 0, 1, nil)}}},
			wantErr: nil, wantClosed: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := &fakeKernel{t: t, script: tt.script}
			c := NewClient(k.dial)
			ctx, cancel := context.WithCancel(context.Background())
			if tt.ctxDone {
				cancel()
			}
			defer cancel()
			rows := 0
			err := c.InetSockets(ctx, netstat.UDP, netstat.IPv4, Options{}, func(*netstat.Socket) error {
				rows++
				return tt.fnErr
			})
			switch {
			case tt.wantErr == nil && tt.wantClosed: // any error
				if err == nil {
					t.Error("err = nil, want an error")
				}
			case tt.wantErr == nil:
				if err != nil {
					t.Errorf("err = %v", err)
				}
			case !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.fnErr != nil && err != tt.fnErr {
				t.Errorf("callback error returned as %q, want it unwrapped", err)
			}
			if rows != tt.wantRows {
				t.Errorf("rows = %d, want %d", rows, tt.wantRows)
			}
			if gotClosed := k.open == 0; gotClosed != tt.wantClosed {
				t.Errorf("connection discarded = %v, want %v", gotClosed, tt.wantClosed)
			}
			// The Client stays usable: a new dump works, on a fresh connection if the
			// old one was discarded.
			k.script = []exchange{{req: inetReq(2, AFInet, ProtoUDP, 0, ProcStates), replies: [][]byte{doneMsg(2, 0)}}}
			if err := c.InetSockets(context.Background(), netstat.UDP, netstat.IPv4, Options{}, func(*netstat.Socket) error { return nil }); err != nil {
				t.Errorf("next dump: %v", err)
			}
			wantDials := 1
			if tt.wantClosed {
				wantDials = 2
			}
			if k.dials != wantDials {
				t.Errorf("dials = %d, want %d", k.dials, wantDials)
			}
			if err := c.Close(); err != nil || k.open != 0 {
				t.Errorf("Close: %v, %d open", err, k.open)
			}
		})
	}
}

func TestInetSocketsDialError(t *testing.T) {
	k := &fakeKernel{t: t, dialErr: errors.Join(ErrUnsupported, syscall.Errno(93))}
	err := NewClient(k.dial).InetSockets(context.Background(), netstat.TCP, netstat.IPv4, Options{}, func(*netstat.Socket) error { return nil })
	if !errors.Is(err, ErrUnsupported) {
		t.Errorf("err = %v, want ErrUnsupported", err)
	}
	for _, bad := range []struct {
		p netstat.Proto
		f netstat.Family
	}{{0, netstat.IPv4}, {netstat.TCP, 5}} {
		if err := NewClient(k.dial).InetSockets(context.Background(), bad.p, bad.f, Options{}, nil); err == nil {
			t.Errorf("%v/%v: no error", bad.p, bad.f)
		}
	}
}

func TestUnixSockets(t *testing.T) {
	show := uint32(UnixShowName | UnixShowVFS | UnixShowPeer | UnixShowRQLen | UnixShowUID)
	k := &fakeKernel{t: t, script: []exchange{{
		req: AppendUnixRequest(nil, 1, UnixRequest{States: AllStates, Show: show}),
		replies: [][]byte{
			nlmsg(20, 2, 1, unixPayload(1, 10, 100, nlattr(unixAttrName, []byte("\x00srv")), nlattr(unixAttrRQLen, pair(0, 4096)))),
			cat(nlmsg(20, 2, 1, unixPayload(2, 7, 101)), doneMsg(1, 0)),
		},
	}}}
	var got []string
	err := NewClient(k.dial).UnixSockets(context.Background(), func(m *UnixMsg) error {
		got = append(got, m.Path())
		if m.Inode == 100 && (!m.HasRQLen || m.WQueue != 4096) {
			t.Errorf("listener %+v lacks its queue lengths", m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"@srv", ""}, got); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}

	errStop := errors.New("stop")
	k.script = []exchange{{replies: [][]byte{nlmsg(20, 2, 2, unixPayload(1, 10, 100)), doneMsg(2, 0)}}}
	c := NewClient(k.dial)
	c.seq = 1
	if err := c.UnixSockets(context.Background(), func(*UnixMsg) error { return errStop }); err != errStop {
		t.Errorf("err = %v, want the callback's", err)
	}
	k.script = []exchange{{replies: [][]byte{nlmsg(20, 2, 3, []byte{1}), doneMsg(3, 0)}}}
	if err := c.UnixSockets(context.Background(), func(*UnixMsg) error { return nil }); !errors.Is(err, ErrMalformed) {
		t.Errorf("err = %v, want ErrMalformed", err)
	}
}

func TestInetSocketsRequestListenerByInterface(t *testing.T) {
	// Two wildcard listeners of one port, bound to interfaces 2 and 3, of different
	// users; a third, bound to none, of a third user. A request socket reports its
	// listener's interface.
	l2 := diagMsg{family: AFInet, state: 10, src: "0.0.0.0:5120", dst: "0.0.0.0:0", uid: 1001, i: 1, ifindex: 2}
	l3 := diagMsg{family: AFInet, state: 10, src: "0.0.0.0:5120", dst: "0.0.0.0:0", uid: 1002, i: 2, ifindex: 3}
	l0 := diagMsg{family: AFInet, state: 10, src: "0.0.0.0:5120", dst: "0.0.0.0:0", uid: 1003, i: 3}
	req := func(ifindex uint32) diagMsg {
		return diagMsg{family: AFInet, state: 3, timer: 1, src: "10.9.0.1:5120", dst: "10.9.0.9:4000", ifindex: ifindex}
	}
	tests := []struct {
		name      string
		listeners []diagMsg
		req       diagMsg
		wantUID   uint32
	}{
		{"first interface", []diagMsg{l3, l2, l0}, req(2), 1001},
		{"second interface", []diagMsg{l2, l3, l0}, req(3), 1002},
		{"no interface", []diagMsg{l2, l3, l0}, req(0), 1003},
		{"l3mdev interface of an unbound listener", []diagMsg{l2, l0}, req(7), 1003},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var replies [][]byte
			for _, l := range tt.listeners {
				replies = append(replies, sockMsg(1, l))
			}
			replies = append(replies, cat(sockMsg(1, tt.req), doneMsg(1, 0)))
			k := &fakeKernel{t: t, script: []exchange{{req: inetReq(1, AFInet, ProtoTCP, 0, ProcStates), replies: replies}}}
			got, err := collect(NewClient(k.dial), netstat.TCP, netstat.IPv4, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(tt.listeners); len(got) != n+1 || got[n].UID != tt.wantUID {
				t.Errorf("rows %+v, want a request socket of uid %d", got, tt.wantUID)
			}
		})
	}
}

func TestInetSocketsProcValues(t *testing.T) {
	// What inet_diag lacks comes from /proc/net/tcp: a listener's Send-Q, a request
	// socket's expiry count (with timers) and its uid when its listeners (a
	// SO_REUSEPORT group whose members fchown(2) gave different owners) disagree.
	proc := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000004:00000000 00:00000000 00000000  1000        0 11 1 0 100 0 0 10 0
   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 12 1 0 100 0 0 10 0
   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1002        0 13 1 0 100 0 0 10 0
   3: 0100007F:1F90 0100007F:9C41 03 00000000:00000000 01:000000A3 00000003  1000        0 0 0 0
   4: 0100007F:1F91 0100007F:9C42 03 00000000:00000000 01:000000A3 00000002  1002        0 0 0 0
`
	listener := diagMsg{family: AFInet, state: 10, src: "127.0.0.1:8080", dst: "0.0.0.0:0", wq: 128, uid: 1000, i: 11}
	group1 := diagMsg{family: AFInet, state: 10, src: "127.0.0.1:8081", dst: "0.0.0.0:0", wq: 5, uid: 1001, i: 12}
	group2 := diagMsg{family: AFInet, state: 10, src: "127.0.0.1:8081", dst: "0.0.0.0:0", wq: 5, uid: 1002, i: 13}
	request := diagMsg{family: AFInet, state: 3, timer: 1, retrans: 0, expires: 1630, src: "127.0.0.1:8080", dst: "127.0.0.1:40001"}
	grouped := diagMsg{family: AFInet, state: 3, timer: 1, retrans: 1, expires: 1630, src: "127.0.0.1:8081", dst: "127.0.0.1:40002"}
	for _, timers := range []bool{false, true} {
		t.Run(fmt.Sprintf("timers=%v", timers), func(t *testing.T) {
			var ext uint8
			if timers {
				ext = ExtInfo
			}
			k := &fakeKernel{t: t, script: []exchange{{
				req:     inetReq(1, AFInet, ProtoTCP, ext, ProcStates),
				replies: [][]byte{cat(sockMsg(1, listener), sockMsg(1, group1), sockMsg(1, group2), sockMsg(1, request), sockMsg(1, grouped), doneMsg(1, 0))},
			}}}
			fsys := fstest.MapFS{"net/tcp": {Data: []byte(proc)}}
			got, err := collect(NewClientProc(k.dial, fsys), netstat.TCP, netstat.IPv4, Options{Timers: timers})
			if err != nil {
				t.Fatal(err)
			}
			type row struct {
				SendQ              uint64
				Backlog, UID, Retr uint32
			}
			want := []row{{4, 128, 1000, 0}, {0, 5, 1001, 0}, {0, 5, 1002, 0}, {0, 0, 1000, 0}, {0, 0, 1002, 1}}
			if timers {
				want[3].Retr, want[4].Retr = 3, 2
			}
			var rows []row
			for _, s := range got {
				rows = append(rows, row{s.SendQ, s.Backlog, s.UID, s.Retransmits})
			}
			if diff := cmp.Diff(want, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}
