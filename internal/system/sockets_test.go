package system

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/netstat"
)

var ne = binary.NativeEndian

// fakeKernel answers sock_diag requests for TCP from a fixed socket table, laid out
// field by field as the kernel does, and records the requests it got: "both" for the
// compatibility request (TCPDIAG_GETSOCK) and "tcp4"/"tcp6" for inet_diag_req_v2.
type fakeKernel struct {
	sockets []string // "4 1.2.3.4:5 6.7.8.9:10" (family, local, remote)
	noBoth  bool     // refuse TCPDIAG_GETSOCK with EOPNOTSUPP
	log     []string
}

func (k *fakeKernel) dial() (sockdiag.Conn, error) { return &fakeConn{k: k}, nil }

type fakeConn struct {
	k       *fakeKernel
	pending [][]byte
}

func (c *fakeConn) Send(req []byte) error {
	typ, seq := ne.Uint16(req[4:]), ne.Uint32(req[8:])
	var dgram []byte
	switch {
	case typ == 18 && c.k.noBoth:
		c.k.log = append(c.k.log, "both refused")
		p := ne.AppendUint32(nil, uint32(0x100000000-95)) // -EOPNOTSUPP
		p = append(p, req[:16]...)
		c.pending = append(c.pending, msg(2, seq, p))
		return nil
	case typ == 18:
		c.k.log = append(c.k.log, "both")
	case typ == 20 && req[17] == 6:
		c.k.log = append(c.k.log, fmt.Sprintf("tcp%d", map[byte]int{2: 4, 10: 6}[req[16]]))
	default:
		c.k.log = append(c.k.log, fmt.Sprintf("request type %d proto %d", typ, req[17]))
		c.pending = append(c.pending, msg(3, seq, make([]byte, 4)))
		return nil
	}
	for _, s := range c.k.sockets {
		var fam int
		var local, remote string
		fmt.Sscanf(s, "%d %s %s", &fam, &local, &remote)
		if typ == 20 && (fam == 4) != (req[16] == 2) {
			continue
		}
		dgram = append(dgram, msg(typ, seq, diagMsg(fam, local, remote))...)
	}
	c.pending = append(c.pending, dgram, msg(3, seq, make([]byte, 4)))
	return nil
}

func (c *fakeConn) Receive(buf []byte) (int, error) {
	if len(c.pending) == 0 {
		return 0, errors.New("fake kernel: nothing to receive")
	}
	d := c.pending[0]
	c.pending = c.pending[1:]
	return copy(buf, d), nil
}

func (c *fakeConn) Close() error { return nil }

func msg(typ uint16, seq uint32, payload []byte) []byte {
	b := ne.AppendUint32(nil, uint32(16+len(payload)))
	b = ne.AppendUint16(b, typ)
	b = ne.AppendUint16(b, 2)
	b = ne.AppendUint32(b, seq)
	b = ne.AppendUint32(b, 77)
	return append(b, payload...)
}

// diagMsg lays out an ESTABLISHED struct inet_diag_msg.
func diagMsg(fam int, local, remote string) []byte {
	b := make([]byte, 72)
	b[0] = map[int]byte{4: 2, 6: 10}[fam]
	b[1] = 1
	l, r := netip.MustParseAddrPort(local), netip.MustParseAddrPort(remote)
	binary.BigEndian.PutUint16(b[4:], l.Port())
	binary.BigEndian.PutUint16(b[6:], r.Port())
	copy(b[8:], l.Addr().AsSlice())
	copy(b[24:], r.Addr().AsSlice())
	ne.PutUint32(b[68:], uint32(l.Port()))
	return b
}

var table = []string{
	"4 10.0.0.1:1 10.0.0.2:2",
	"6 [::1]:3 [::1]:4",
	"4 10.0.0.1:5 10.0.0.2:6",
	"6 [::1]:7 [::1]:8",
	"4 10.0.0.1:9 10.0.0.2:10",
}

// list calls InetSockets for each request ("tcp4", "udp6", ...) and returns the local
// ports of the rows, one string per request.
func list(t *testing.T, s *Sockets, requests ...string) []string {
	t.Helper()
	var out []string
	for _, r := range requests {
		proto := map[string]netstat.Proto{"tcp": netstat.TCP, "udp": netstat.UDP}[r[:3]]
		fam := map[byte]netstat.Family{'4': netstat.IPv4, '6': netstat.IPv6}[r[3]]
		rows := ""
		err := s.InetSockets(context.Background(), proto, fam, func(sk *netstat.Socket) error {
			rows += fmt.Sprintf("%d%c ", sk.Local.Port(), "?46"[map[netstat.Family]int{netstat.IPv4: 1, netstat.IPv6: 2}[sk.Family]])
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		out = append(out, r+": "+rows)
	}
	return out
}

func TestInetSocketsBothFamilies(t *testing.T) {
	few := fstest.MapFS{"net/sockstat6": {Data: []byte("TCP6: inuse 2\nUDP6: inuse 0\n")}}
	many := fstest.MapFS{"net/sockstat6": {Data: []byte("TCP6: inuse 40000\nUDP6: inuse 0\n")}}
	noIPv6 := fstest.MapFS{}
	tests := []struct {
		name     string
		proc     fstest.MapFS
		noBoth   bool
		requests []string
		want     []string
		wantLog  []string
	}{{
		name:     "one dump, IPv6 rows held for the IPv6 request",
		proc:     few,
		requests: []string{"tcp4", "tcp6", "tcp4", "tcp6"},
		want:     []string{"tcp4: 14 54 94 ", "tcp6: 36 76 ", "tcp4: 14 54 94 ", "tcp6: 36 76 "},
		wantLog:  []string{"both", "both"},
	}, {
		name:     "no sockstat6 (no IPv6)",
		proc:     noIPv6,
		requests: []string{"tcp4", "tcp6"},
		want:     []string{"tcp4: 14 54 94 ", "tcp6: 36 76 "},
		wantLog:  []string{"both"},
	}, {
		name:     "many IPv6 sockets: a dump per family",
		proc:     many,
		requests: []string{"tcp4", "tcp6"},
		want:     []string{"tcp4: 14 54 94 ", "tcp6: 36 76 "},
		wantLog:  []string{"tcp4", "tcp6"},
	}, {
		name:     "kernel without the request: a dump per family from then on",
		proc:     few,
		noBoth:   true,
		requests: []string{"tcp4", "tcp6", "tcp4", "tcp6"},
		want:     []string{"tcp4: 14 54 94 ", "tcp6: 36 76 ", "tcp4: 14 54 94 ", "tcp6: 36 76 "},
		wantLog:  []string{"both refused", "tcp4", "tcp6", "tcp4", "tcp6"},
	}, {
		name:     "IPv6 only",
		proc:     few,
		requests: []string{"tcp6"},
		want:     []string{"tcp6: 36 76 "},
		wantLog:  []string{"tcp6"},
	}, {
		name:     "held rows dropped by another request",
		proc:     few,
		requests: []string{"tcp4", "udp4", "tcp6"},
		want:     []string{"tcp4: 14 54 94 ", "udp4: ", "tcp6: 36 76 "},
		wantLog:  []string{"both", "request type 20 proto 17", "tcp6"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := &fakeKernel{sockets: table, noBoth: tt.noBoth}
			s := newSockets(tt.proc, sockdiag.NewClient(k.dial), false, nil)
			got := list(t, s, tt.requests...)
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("rows (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantLog, k.log); d != "" {
				t.Errorf("requests (-want +got):\n%s", d)
			}
		})
	}
}

func TestInUse(t *testing.T) {
	proc := fstest.MapFS{"net/sockstat6": {Data: []byte("TCP6: inuse 12\nUDP6: inuse 3\nRAW6: inuse x\n")}}
	for _, tt := range []struct {
		label string
		n     int
		ok    bool
	}{{"TCP6:", 12, true}, {"UDP6:", 3, true}, {"RAW6:", 0, false}, {"FRAG6:", 0, false}} {
		if n, ok := inUse(proc, "net/sockstat6", tt.label); n != tt.n || ok != tt.ok {
			t.Errorf("inUse(%s) = %d, %v; want %d, %v", tt.label, n, ok, tt.n, tt.ok)
		}
	}
	if _, ok := inUse(proc, "net/missing", "TCP6:"); ok {
		t.Error("inUse of a missing file answered")
	}
}
