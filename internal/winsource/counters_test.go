package winsource_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/winnetstat"
	"github.com/netstat-go/netstat/internal/winsource"
	"github.com/netstat-go/netstat/netstat"
)

func TestBuildCounters(t *testing.T) {
	ip := make([]uint32, len(winsource.IPStatsNames))
	ip[2] = 100 // InReceives
	tcp := make([]uint32, len(winsource.TCPStatsNames))
	tcp[4] = 7 // ActiveOpens
	icmp := make([]uint32, winsource.ICMPStatsDWORDs)
	icmp[0], icmp[2+3] = 5, 4       // in: Msgs, type 3
	icmp[258], icmp[258+2+8] = 9, 9 // out: Msgs, type 8
	udp6 := []uint32{1, 2, 3, 4, 5}
	c := winsource.BuildCounters(winsource.Stats{IP: ip, ICMP: icmp, TCP: tcp}, winsource.Stats{UDP: udp6})
	var titles []string
	for _, s := range c.IPv4 {
		titles = append(titles, s.Title)
	}
	if diff := cmp.Diff([]string{"Ip", "Icmp", "IcmpMsg", "Tcp"}, titles); diff != "" {
		t.Errorf("IPv4 sections (-want +got)\n%s", diff)
	}
	want := []netstat.CounterSection{{Title: "Udp6", Counters: []netstat.Counter{
		{Name: "InDatagrams", Value: 1}, {Name: "NoPorts", Value: 2}, {Name: "InErrors", Value: 3},
		{Name: "OutDatagrams", Value: 4}, {Name: "NumAddrs", Value: 5}}}}
	if diff := cmp.Diff(want, c.IPv6); diff != "" {
		t.Errorf("IPv6 (-want +got)\n%s", diff)
	}
	// The -s renderer reads them where it reads Linux's counters.
	out := string(winnetstat.AppendStats(nil, c, []winnetstat.Proto{winnetstat.ProtoIP, winnetstat.ProtoICMP, winnetstat.ProtoTCP}))
	for _, line := range []string{
		"  Packets Received                   = 100\r\n",
		"  Messages                  5           9\r\n",
		"  Destination Unreachable   4           0\r\n",
		"  Echos                     0           9\r\n",
		"  Active Opens                        = 7\r\n",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("missing %q in\n%s", line, out)
		}
	}
}
