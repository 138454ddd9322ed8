//go:build linux

package cli

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/internal/procfd"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/system"
	"github.com/netstat-go/netstat/netstat"
	"golang.org/x/sys/unix"
)

// format_privileged_test.go builds a fresh network namespace holding known sockets,
// routes, interfaces and groups, reads it once (freezeNetns), and checks that the
// --json and --format=csv output of that data agree with its text output for every
// table.

// fmtRun is one command's observable result.
type fmtRun struct {
	stdout, stderr string
	exit           int
}

// TestFormatHolderProcess is not a test: TestFormatPrivileged runs the test binary in
// its namespace with FORMAT_HOLDER=DIR to hold sockets (TCP and TCP6 listeners with an
// established pair each, UDP sockets, a unix listener with a connection) until its
// stdin closes.
func TestFormatHolderProcess(t *testing.T) {
	dir := os.Getenv("FORMAT_HOLDER")
	if dir == "" {
		t.Skip("helper process for TestFormatPrivileged")
	}
	var keep []io.Closer
	fail := func(err error) {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	for _, network := range []struct{ net, addr string }{{"tcp4", "127.0.0.1:7001"}, {"tcp6", "[::1]:7002"}, {"unix", filepath.Join(dir, "s")}} {
		ln, err := net.Listen(network.net, network.addr)
		if err != nil {
			fail(err)
		}
		c, err := net.Dial(network.net, ln.Addr().String())
		if err != nil {
			fail(err)
		}
		s, err := ln.Accept()
		if err != nil {
			fail(err)
		}
		keep = append(keep, ln, c, s)
	}
	u1, err := net.ListenPacket("udp4", "127.0.0.1:7003")
	if err != nil {
		fail(err)
	}
	u2, err := net.Dial("udp4", "127.0.0.1:7003")
	if err != nil {
		fail(err)
	}
	keep = append(keep, u1, u2)
	fmt.Println("READY")
	io.Copy(io.Discard, os.Stdin)
	for _, c := range keep {
		c.Close()
	}
	os.Exit(0)
}

// TestFormatPrivileged needs root (network namespaces); without root it skips unless
// CI=true. The socket tables come from the frozen /proc/net files (the netlink path is
// compared with net-tools by test/diff).
func TestFormatPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	nstest.RequireTool(t, "ip")
	work := t.TempDir()

	ns := fmt.Sprintf("fmtpriv-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v: %s", ns, err, out)
		}
	})
	for _, c := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
		{"link", "set", "v0", "up"},
		{"link", "set", "v1", "up"},
		{"addr", "add", "10.9.0.1/24", "dev", "v0"},
		{"addr", "add", "fd00::1/64", "dev", "v0", "nodad"},
		{"route", "add", "default", "via", "10.9.0.254"},
		{"route", "add", "10.77.0.0/16", "via", "10.9.0.2", "metric", "5"},
		{"route", "add", "unreachable", "10.66.0.0/16"},
		{"-6", "route", "add", "fd01::/64", "via", "fd00::2"},
		{"maddr", "add", "01:00:5e:01:02:03", "dev", "v0"},
	} {
		if out, err := exec.Command("ip", append([]string{"netns", "exec", ns, "ip"}, c...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(c, " "), err, out)
		}
	}

	// The socket holder, stopped by its PID when the test ends.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	holder := exec.Command("ip", "netns", "exec", ns, exe, "-test.run=^TestFormatHolderProcess$")
	holder.Env = append(os.Environ(), "FORMAT_HOLDER="+work)
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { holder.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			holder.Process.Kill()
			<-done
		}
	})
	ready := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		ready <- strings.TrimSpace(line)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line := <-ready:
		if line != "READY" {
			t.Fatalf("holder: %q", line)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("holder: no READY within 15 s")
	}

	fz := freezeNetns(t, holder.Process.Pid)
	run := func(args ...string) fmtRun {
		var o, e bytes.Buffer
		en := &env{
			stdout:      bufio.NewWriter(&o),
			stderr:      &e,
			proc:        fz.proc,
			names:       resolve.NewSystem(os.DirFS("/etc")),
			sleep:       func(time.Duration) {},
			owners:      func(bool) *procfd.Owners { return fz.owners },
			euid:        0,
			ifaceSource: func() (netstat.IfaceSource, error) { return fz.ifaces, nil },
		}
		warn := func(msg string) { en.stdout.Flush(); e.WriteString(msg + "\n") }
		sockets := system.NewSockets(fz.proc, true, false, warn)
		defer sockets.Close()
		en.sockets = sockets
		exit := extRun(t, en, args...)
		return fmtRun{o.String(), e.String(), exit}
	}
	sc := machineSchema(t)

	// Each subtest renders the text, the JSON and the CSV of the same frozen data, so
	// they must agree exactly: nothing may move between them.
	stable := func(t *testing.T, args []string, check func(text, jsonOut, csvOut fmtRun) error) {
		t.Helper()
		text := run(args...)
		j := run(append(args, "--json")...)
		c := run(append(args, "--format=csv")...)
		if j.exit != text.exit || c.exit != text.exit {
			t.Fatalf("exit: text %d, json %d, csv %d", text.exit, j.exit, c.exit)
		}
		jsonDocs(t, sc, j.stdout)
		if err := check(text, j, c); err != nil {
			t.Fatal(err)
		}
	}

	for _, args := range [][]string{{"-an"}, {"-anp"}, {"-tuan", "-e"}, {"-tuanW"}, {"-tuln", "-ee"}, {"-t6an"}} {
		t.Run("sockets "+strings.Join(args, " "), func(t *testing.T) {
			cfg, _, _ := Parse(append([]string{"netstat"}, args...), false)
			stable(t, args, func(text, j, c fmtRun) error {
				inet, _ := textTables(text.stdout)
				_, rows := csvTable(t, c.stdout)
				docs := jsonDocs(t, sc, j.stdout)
				items, _ := docs[0]["inet"].([]any)
				if len(items) != len(rows) || len(rows) != len(inet) || len(rows) == 0 {
					return fmt.Errorf("%d text rows, %d JSON items, %d CSV rows", len(inet), len(items), len(rows))
				}
				sameAsCSV(t, items, rows)
				owned := 0
				for i, row := range rows {
					if row["pid"] != "" {
						owned++
					}
					want := strings.Fields(inet[i])
					got := inetRowText(row, cfg.Wide > 0, cfg.Extend > 1)
					if cfg.Programs > 0 {
						p := "-"
						if row["pid"] != "" {
							p = row["pid"] + "/" + row["program"]
						}
						got = append(got, strings.Fields(p)...)
					}
					if !cmp.Equal(want, got) {
						return fmt.Errorf("row %d (-text +csv):\n%s", i, cmp.Diff(want, got))
					}
				}
				if cfg.Programs > 0 && owned < 5 {
					t.Errorf("-p: only %d rows with a program", owned)
				}
				return nil
			})
		})
	}

	t.Run("unix -xa", func(t *testing.T) {
		stable(t, []string{"-xa"}, func(text, j, c fmtRun) error {
			_, unix := textTables(text.stdout)
			_, rows := csvTable(t, c.stdout)
			items, _ := jsonDocs(t, sc, j.stdout)[0]["unix"].([]any)
			if len(rows) != len(unix) || len(items) != len(rows) || len(rows) < 3 {
				return fmt.Errorf("%d text rows, %d JSON items, %d CSV rows", len(unix), len(items), len(rows))
			}
			sameAsCSV(t, items, rows)
			for i, row := range rows {
				if want, got := strings.Fields(unix[i]), unixRowText(row); !cmp.Equal(want, got) {
					return fmt.Errorf("row %d (-text +csv):\n%s", i, cmp.Diff(want, got))
				}
			}
			return nil
		})
	})

	for _, args := range [][]string{{"-rn"}, {"-rne"}, {"-rnee"}, {"-rn", "-6"}, {"-r", "-A", "inet,inet6", "-n"}} {
		t.Run("routes "+strings.Join(args, " "), func(t *testing.T) {
			stable(t, args, func(text, j, c fmtRun) error {
				var textRows, headers [][]string
				for _, tt := range routeTextTables(text.stdout) {
					for _, r := range tt.rows {
						textRows = append(textRows, r)
						headers = append(headers, tt.header)
					}
				}
				_, rows := csvTable(t, c.stdout)
				var items []any
				for _, tb := range jsonDocs(t, sc, j.stdout)[0]["tables"].([]any) {
					items = append(items, tb.(map[string]any)["routes"].([]any)...)
				}
				if len(rows) != len(textRows) || len(items) != len(rows) || len(rows) < 3 {
					return fmt.Errorf("%d text rows, %d JSON routes, %d CSV rows", len(textRows), len(items), len(rows))
				}
				for i := range rows {
					checkRouteRow(t, i, headers[i], textRows[i], rows[i], true)
				}
				return nil
			})
		})
	}

	for _, args := range [][]string{{"-i"}, {"-ia"}} {
		t.Run("interfaces "+strings.Join(args, " "), func(t *testing.T) {
			stable(t, args, func(text, j, c fmtRun) error {
				var want [][]string
				for _, l := range strings.Split(strings.TrimSuffix(text.stdout, "\n"), "\n")[2:] {
					f := strings.Fields(l)
					want = append(want, f[:len(f)-1]) // Flg letters: checked below by name
				}
				_, rows := csvTable(t, c.stdout)
				if len(rows) != len(want) {
					return fmt.Errorf("%d text rows, %d CSV rows", len(want), len(rows))
				}
				for i, r := range rows {
					got := []string{r["name"], r["mtu"], r["rx_packets"], r["rx_errors"], r["rx_dropped"], r["rx_fifo"],
						r["tx_packets"], r["tx_errors"], r["tx_dropped"], r["tx_fifo"]}
					if !cmp.Equal(want[i], got) {
						return fmt.Errorf("row %d (-text +csv):\n%s", i, cmp.Diff(want[i], got))
					}
				}
				return nil
			})
		})
	}

	t.Run("groups -gn", func(t *testing.T) {
		stable(t, []string{"-gn"}, func(text, j, c fmtRun) error {
			_, body, _ := strings.Cut(text.stdout, "---------------------\n")
			var got strings.Builder
			items := jsonDocs(t, sc, j.stdout)[0]["groups"].([]any)
			for _, it := range items {
				m := it.(map[string]any)
				fmt.Fprintf(&got, "%-15s %-6s %s\n", jsonText(m["interface"]), jsonText(m["users"]), jsonText(m["group"]))
			}
			if body != got.String() || len(items) < 2 {
				return fmt.Errorf("groups (-text +json):\n%s", cmp.Diff(body, got.String()))
			}
			_, rows := csvTable(t, c.stdout)
			sameAsCSV(t, items, rows)
			return nil
		})
	})

	for _, args := range [][]string{{"-s"}, {"-st"}, {"-s", "-6"}} {
		t.Run("statistics "+strings.Join(args, " "), func(t *testing.T) {
			stable(t, args, func(text, j, c fmtRun) error {
				var titles []string
				for _, l := range strings.Split(text.stdout, "\n") {
					if strings.HasSuffix(l, ":") && !strings.HasPrefix(l, " ") {
						titles = append(titles, strings.TrimSuffix(l, ":"))
					}
				}
				doc := jsonDocs(t, sc, j.stdout)[0]
				var got []string
				var tcp map[string]any
				for _, s := range doc["sections"].([]any) {
					sec := s.(map[string]any)
					got = append(got, sec["title"].(string))
					if sec["title"] == "Tcp" {
						tcp = sec["counters"].(map[string]any)
					}
				}
				if !cmp.Equal(titles, got) {
					return fmt.Errorf("sections (-text +json):\n%s", cmp.Diff(titles, got))
				}
				if tcp != nil {
					line := "    " + jsonText(tcp["ActiveOpens"]) + " active connection openings\n"
					if !strings.Contains(text.stdout, line) {
						return fmt.Errorf("text lacks %q", line)
					}
				}
				if ordered, _ := csvTable(t, c.stdout); len(ordered) != 4 {
					return fmt.Errorf("CSV header %q", ordered)
				}
				return nil
			})
		})
	}

	t.Run("states", func(t *testing.T) {
		text := run("-tan")
		want := textStateCounts(text.stdout, "inet", "inet6")
		j := run("states", "--json")
		doc := jsonDocs(t, sc, j.stdout)[0]
		for name, n := range want {
			if got := jsonText(doc["counts"].(map[string]any)[name]); got != strconv.FormatUint(n, 10) {
				t.Errorf("%s: states %s, netstat -tan %d", name, got, n)
			}
		}
		if want["ESTABLISHED"] < 4 || want["LISTEN"] < 2 {
			t.Errorf("the holder's sockets are missing: %v", want)
		}
		if s := run("states"); s.exit != 0 || !strings.Contains(s.stdout, "TIME_WAIT lasts 2*MSL") {
			t.Errorf("netstat states: exit %d\n%s", s.exit, s.stdout)
		}
	})
}

// frozenNetns is one read of a network namespace, taken through a process inside it:
// its /proc/PID/net files, the socket owners of the host's processes and the ioctl
// view of its interfaces. Every run over it sees exactly the same data, so outputs
// rendered from it can be compared as one.
type frozenNetns struct {
	proc   fstest.MapFS
	owners *procfd.Owners
	ifaces *frozenIfaces
}

func freezeNetns(t *testing.T, pid int) *frozenNetns {
	t.Helper()
	fz := &frozenNetns{proc: fstest.MapFS{}}
	root := os.DirFS(fmt.Sprintf("/proc/%d", pid))
	err := fs.WalkDir(root, "net", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(root, name)
		if err != nil {
			return nil // a file root may not read (e.g. a module's debug file): absent
		}
		fz.proc[name] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fz.proc["net/tcp"]; !ok {
		t.Fatalf("no net/tcp under /proc/%d", pid)
	}
	fz.owners = procfd.ScanLive("/proc")

	// The ioctl socket must live in the namespace: open it from a thread moved there.
	nsfd, err := unix.Open(fmt.Sprintf("/proc/%d/ns/net", pid), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(nsfd)
	var src netstat.IfaceSource
	t.Run("open ioctl socket", func(t *testing.T) {
		nstest.Join(t, nsfd)
		s, err := system.OpenIfaceSocket()
		if err != nil {
			t.Fatal(err)
		}
		src = s
	})
	if src == nil {
		t.FailNow()
	}
	t.Cleanup(func() { src.Close() })
	fz.ifaces = &frozenIfaces{src: src, fetched: map[string]frozenIface{}}
	return fz
}

// frozenIfaces answers every question once from the live source and then from memory.
type frozenIfaces struct {
	src      netstat.IfaceSource
	names    []string
	namesErr error
	namesOK  bool
	fetched  map[string]frozenIface
}

type frozenIface struct {
	ifc netstat.Interface
	err error
}

func (f *frozenIfaces) ConfNames() ([]string, error) {
	if !f.namesOK {
		f.names, f.namesErr = f.src.ConfNames()
		f.namesOK = true
	}
	return f.names, f.namesErr
}

func (f *frozenIfaces) Fetch(name string) (netstat.Interface, error) {
	r, ok := f.fetched[name]
	if !ok {
		r.ifc, r.err = f.src.Fetch(name)
		f.fetched[name] = r
	}
	return r.ifc, r.err
}

// Close keeps the live source open for the next run; the test closes it.
func (f *frozenIfaces) Close() error { return nil }
