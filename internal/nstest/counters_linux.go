package nstest

import (
	"bytes"
	"os/exec"
	"testing"

	"github.com/netstat-go/netstat/internal/procnet"
)

// TCPCounters returns the Tcp counters of /proc/net/snmp in the named network
// namespace (made with ip netns add), e.g. "OutRsts" and "EstabResets".
func TCPCounters(t testing.TB, ns string) map[string]uint64 {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "cat", "/proc/net/snmp").Output()
	if err != nil {
		t.Fatalf("read /proc/net/snmp in %s: %v", ns, err)
	}
	secs, err := procnet.ParseSNMP(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("/proc/net/snmp in %s: %v", ns, err)
	}
	for _, s := range secs {
		if s.Title != "Tcp" {
			continue
		}
		c := make(map[string]uint64, len(s.Counters))
		for _, v := range s.Counters {
			c[v.Name] = v.Value
		}
		return c
	}
	t.Fatalf("no Tcp counters in %s's /proc/net/snmp", ns)
	return nil
}
