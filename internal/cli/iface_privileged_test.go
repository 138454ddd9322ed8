package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/nstest"
)

// ifaceRun is one command's observable result.
type ifaceRun struct {
	Stdout, Stderr string
	Exit           int
}

func runIfaceCmd(t *testing.T, name string, args ...string) ifaceRun {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	err := cmd.Run()
	var ee *exec.ExitError
	exit := 0
	switch {
	case errors.As(err, &ee):
		exit = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %q: %v", name, args, err)
	}
	return ifaceRun{stdout.String(), stderr.String(), exit}
}

// TestInterfacesHelperProcess is not a test: TestInterfacesPrivileged runs the test
// binary inside a namespace with IFACE_HELPER=1 to get netstat-go's output there.
func TestInterfacesHelperProcess(t *testing.T) {
	if os.Getenv("IFACE_HELPER") != "1" {
		t.Skip("helper process for TestInterfacesPrivileged")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(Main(context.Background(), append([]string{"netstat"}, args...), os.Stdout, os.Stderr, os.LookupEnv))
}

// TestInterfacesPrivileged builds spec fixture F5 in a fresh network namespace and
// requires the whole -i path (option parsing, the live ioctl source, /proc) to print
// exactly what /usr/bin/netstat prints there. It needs root; it skips without root
// unless CI=true.
func TestInterfacesPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	for _, tool := range []string{"ip", "timeout", oracleNetstat} {
		nstest.RequireTool(t, tool)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ns := fmt.Sprintf("ifpriv-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns).Run() })
	ip := func(optional bool, args ...string) {
		t.Helper()
		out, err := exec.Command("ip", append([]string{"netns", "exec", ns, "ip"}, args...)...).CombinedOutput()
		if err != nil && !optional {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	// Spec Appendix A.2, F5. The kernel may lack ifb; everything else is required.
	for _, c := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "set", "v0", "up"},
		{"link", "set", "v1", "up"},
		{"addr", "add", "10.9.0.1/24", "dev", "v0"},
		{"addr", "add", "10.9.0.5/24", "dev", "v0", "label", "v0:1"},
		{"addr", "add", "fd00::1/64", "dev", "v0", "nodad"},
		{"link", "add", "br0", "type", "bridge"},
		{"tuntap", "add", "dev", "tun0", "mode", "tun"},
		{"link", "set", "tun0", "up"},
		{"addr", "add", "10.99.0.1", "peer", "10.99.0.2", "dev", "tun0"},
		{"link", "add", "averyveryverylo", "type", "veth", "peer", "name", "p15"},
		{"link", "set", "averyveryverylo", "up"},
		{"link", "set", "p15", "up"},
		{"link", "set", "averyveryverylo", "promisc", "on", "mtu", "9000"},
		{"addr", "add", "10.8.0.1/24", "brd", "+", "dev", "averyveryverylo"},
		{"link", "set", "p15", "allmulticast", "on"},
		{"link", "set", "v1", "arp", "off"},
		{"link", "set", "v1", "dynamic", "on"},
		{"addr", "add", "::ffff:1.2.3.5/128", "dev", "p15", "nodad"},
		{"addr", "add", "fec0::5/64", "dev", "p15", "nodad"},
	} {
		ip(false, c...)
	}
	ip(true, "link", "add", "ifb0", "type", "ifb")
	ip(true, "link", "set", "ifb0", "up")

	oracle := func(args ...string) ifaceRun {
		return runIfaceCmd(t, "ip", append([]string{"netns", "exec", ns, oracleNetstat}, args...)...)
	}
	ours := func(args ...string) ifaceRun {
		return runIfaceCmd(t, "ip", append([]string{"netns", "exec", ns, "env", "IFACE_HELPER=1", exe,
			"-test.run=^TestInterfacesHelperProcess$", "--"}, args...)...)
	}
	for _, args := range [][]string{{"-i"}, {"-ia"}, {"-ie"}, {"-iea"}, {"-ian", "-v"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// Counters may move between the runs (IPv6 autoconfiguration traffic): ours
			// must equal the oracle run just before or just after it.
			for try := 0; try < 10; try++ {
				before, got, after := oracle(args...), ours(args...), oracle(args...)
				if got == before || got == after {
					return
				}
				if before == after {
					t.Fatalf("mismatch (-oracle +ours):\n%s", cmp.Diff(before, got))
				}
			}
			t.Fatal("the namespace never held still for three runs")
		})
	}

	// -c: the title once, the header and every row again each second. Both run
	// for 2.5 s at the same time; compare the block structure.
	t.Run("-ic", func(t *testing.T) {
		done := make(chan ifaceRun)
		go func() {
			done <- runIfaceCmd(t, "ip", "netns", "exec", ns, "timeout", "2.5", oracleNetstat, "-ic")
		}()
		got := runIfaceCmd(t, "ip", "netns", "exec", ns, "env", "IFACE_HELPER=1", "timeout", "2.5", exe,
			"-test.run=^TestInterfacesHelperProcess$", "--", "-ic")
		want := <-done
		shape := func(r ifaceRun) string {
			return fmt.Sprintf("titles=%d headers=%d lines=%d exit=%d stderr=%q",
				strings.Count(r.Stdout, "Kernel Interface table\n"), strings.Count(r.Stdout, "\nIface "),
				strings.Count(r.Stdout, "\n"), r.Exit, r.Stderr)
		}
		if shape(got) != shape(want) {
			t.Errorf("-ic: got %s, want %s\nours:\n%s\noracle:\n%s", shape(got), shape(want), got.Stdout, want.Stdout)
		}
	})
}

const oracleNetstat = "/usr/bin/netstat"
