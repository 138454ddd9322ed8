package sockdiag

import (
	"errors"
	"net/netip"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/netstat"
)

// tcpInfoBytes lays out a struct tcp_info of n bytes with recognisable values.
func tcpInfoBytes(n int) []byte {
	b := make([]byte, 248)
	b[0], b[1], b[2], b[3], b[4], b[5], b[6] = 1, 2, 3, 4, 5, 7, 0x97
	put32 := func(off int, v uint32) { native.PutUint32(b[off:], v) }
	put64 := func(off int, v uint64) { native.PutUint64(b[off:], v) }
	put32(8, 204000)  // rto, µs
	put32(44, 1500)   // last_data_sent, ms
	put32(68, 1234)   // rtt, µs
	put32(80, 10)     // snd_cwnd
	put32(100, 6)     // total_retrans
	put64(120, 1<<40) // bytes_acked
	put64(128, 12345) // bytes_received
	put64(200, 99999) // bytes_sent
	put32(232, 65535) // rcv_wnd
	native.PutUint16(b[240:], 3)
	put32(244, 700) // total_rto_time, ms
	return b[:n]
}

func TestDecodeFullTCPInfo(t *testing.T) {
	var ti netstat.TCPInfo
	if err := DecodeFullTCPInfo(tcpInfoBytes(248), &ti); err != nil {
		t.Fatal(err)
	}
	want := netstat.TCPInfo{
		State: 1, CAState: 2, Retransmits: 3, Probes: 4, Backoff: 5, Options: 7,
		SndWScale: 7, RcvWScale: 9,
		RTO: 204 * time.Millisecond, LastDataSent: 1500 * time.Millisecond,
		RTT: 1234 * time.Microsecond, SndCwnd: 10, TotalRetrans: 6,
		BytesAcked: 1 << 40, BytesReceived: 12345, BytesSent: 99999, RcvWnd: 65535,
		TotalRTO: 3, TotalRTOTime: 700 * time.Millisecond,
	}
	if diff := cmp.Diff(want, ti); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// An older kernel's shorter structure (Linux 4.19 sends 224 bytes... here 136:
	// up to bytes_received) leaves the rest 0.
	if err := DecodeFullTCPInfo(tcpInfoBytes(136), &ti); err != nil {
		t.Fatal(err)
	}
	if ti.BytesReceived != 12345 || ti.BytesSent != 0 || ti.TotalRTO != 0 {
		t.Errorf("short tcp_info: %+v", ti)
	}
	if err := DecodeFullTCPInfo(make([]byte, 7), &ti); !errors.Is(err, ErrMalformed) {
		t.Errorf("7 bytes: %v, want ErrMalformed", err)
	}
}

func FuzzDecodeFullTCPInfo(f *testing.F) {
	f.Add(tcpInfoBytes(248))
	f.Add(tcpInfoBytes(100))
	f.Fuzz(func(t *testing.T, b []byte) {
		var ti netstat.TCPInfo
		if err := DecodeFullTCPInfo(b, &ti); err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error not wrapping ErrMalformed: %v", err)
		}
	})
}

func TestDestroyRequest(t *testing.T) {
	s := &netstat.Socket{
		Proto: netstat.TCP, Family: netstat.IPv4,
		Local:   netip.MustParseAddrPort("127.0.0.1:80"),
		Remote:  netip.MustParseAddrPort("10.1.2.3:40000"),
		IfIndex: 2, Cookie: 0x1122334455667788,
	}
	want := cat(
		le32(72), le16(21), le16(0x5), le32(7), le32(0), // nlmsghdr: SOCK_DESTROY, REQUEST|ACK
		[]byte{AFInet, ProtoTCP, 0, 0}, le32(AllStates),
		[]byte{0, 80, 0x9c, 0x40},
		[]byte{127, 0, 0, 1}, make([]byte, 12),
		[]byte{10, 1, 2, 3}, make([]byte, 12),
		le32(2), le32(0x55667788), le32(0x11223344),
	)
	ack := func(errno int32) []byte {
		return cat(le32(36), le16(2), le16(0), le32(7), le32(0), le32(uint32(errno)), make([]byte, 16))
	}
	for _, tt := range []struct {
		errno int32
		want  error
	}{
		{0, nil},
		{-95, syscall.EOPNOTSUPP},
		{-1, syscall.EPERM},
		{-2, syscall.ENOENT},
	} {
		k := &fakeKernel{t: t, script: []exchange{{req: want, replies: [][]byte{ack(tt.errno)}}}}
		c := NewClient(k.dial)
		c.seq = 6
		err := c.Destroy(t.Context(), s)
		if !errors.Is(err, tt.want) && !(err == nil && tt.want == nil) {
			t.Errorf("errno %d: Destroy = %v, want %v", tt.errno, err, tt.want)
		}
		c.Close()
	}
	if _, err := AppendDestroyRequest(nil, 1, &netstat.Socket{Proto: netstat.UDP}); err == nil {
		t.Error("a UDP socket was accepted for SOCK_DESTROY")
	}
}

func le32(v uint32) []byte { return native.AppendUint32(nil, v) }
func le16(v uint16) []byte { return native.AppendUint16(nil, v) }

func TestCongestionName(t *testing.T) {
	for _, name := range []string{"cubic", "bbr", "reno", "some_new_one", ""} {
		b := []byte(name)
		if got := congestionName(b); got != name {
			t.Errorf("congestionName(%q) = %q", name, got)
		}
	}
	b := []byte("cubic")
	if n := testing.AllocsPerRun(100, func() { _ = congestionName(b) }); n != 0 {
		t.Errorf("congestionName(cubic) allocates %v times", n)
	}
}
