//go:build linux

// Command bench times netstat implementations side by side on the current network
// namespace's socket population and checks the targets of the issue "Speed: faster
// than ss at 200,000 sockets". Run it inside the namespace (ip netns exec NS bench ...).
//
// The default mode times groups of commands (ours, ss, net-tools): after a warm-up,
// the commands of a group run in turn, round after round, so that drift and the load
// of other processes hit all of them alike; it prints the median wall time, the median
// CPU time (user+sys), the largest peak RSS, how many runs were made, and the ratios
// the issue sets targets for. Slow commands run fewer times: a command stops after
// -runs runs or once its runs took -budget in total, whichever comes first (net-tools
// -tanp takes half a minute at 200,000 sockets). stdout goes to /dev/null; a separate
// run through a pipe measures when our first line arrives (streaming).
//
//	bench -label 100k -runs 5 -ours bin/netstat -results R [-cont | -cont-only]
//
// With -cont it also runs our `netstat -tanc` for a few refreshes and reports the CPU
// time one refresh costs; -cont-only does only that (for quick profiling rounds). With
// -floor it times what the kernel alone costs to list the TCP sockets (floor.go). With -dns DIR it runs the name-resolution case instead: ours
// `-ta` under nsswitch `hosts: files dns` with resolv.conf pointing at a server that
// never answers (DIR/nsswitch-dns.conf, DIR/resolv.conf), against net-tools `-ta`
// under `hosts: files` (DIR/nsswitch-files.conf), each in a private mount namespace
// (unshare -m) with the files bind-mounted over /etc; the outputs must be identical.
//
// Every result is appended to the JSON-lines file -results; `bench -summary R` prints
// them as the tables of the README and the verdict on each target.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Bounds for everything that waits.
const (
	commandLimit = 5 * time.Minute  // one run of one command
	contLimit    = 30 * time.Second // the -tanc measurement
	contHeaders  = 4                // refreshes seen: 3 whole refreshes are measured
	firstRuns    = 3                // runs of the first-line measurement
)

// result is one line of the results file.
type result struct {
	Kind    string  `json:"kind"` // "cmd", "cont", "dns", "population"
	Label   string  `json:"label"`
	Name    string  `json:"name,omitempty"`
	Sockets int     `json:"sockets,omitempty"` // "sockets: used" of /proc/net/sockstat
	Procs   int     `json:"procs,omitempty"`
	Wall    float64 `json:"wall,omitempty"` // median, s
	CPU     float64 `json:"cpu,omitempty"`  // median user+sys, s (cont: per refresh)
	RSS     float64 `json:"rss,omitempty"`  // largest peak, MiB
	Runs    int     `json:"runs,omitempty"`
	First   float64 `json:"first,omitempty"` // median time to the first line, s
	Piped   float64 `json:"piped,omitempty"` // median wall time of the same runs (stdout a pipe), s
	Same    *bool   `json:"same,omitempty"`  // dns, same: output identical to net-tools'
	Err     string  `json:"err,omitempty"`
}

func main() {
	ours := flag.String("ours", "bin/netstat", "our netstat binary")
	runs := flag.Int("runs", 5, "timed runs per command (at most)")
	budget := flag.Duration("budget", 12*time.Second, "stop timing a command once its runs took this long")
	label := flag.String("label", "", "population label for the report")
	procs := flag.Int("procs", 0, "number of processes holding the sockets (for the report)")
	results := flag.String("results", "", "append results to this JSON-lines file")
	cont := flag.Bool("cont", false, "also measure the CPU time per refresh of -tanc")
	contOnly := flag.Bool("cont-only", false, "only measure the CPU time per refresh of -tanc")
	floor := flag.Bool("floor", false, "also time the kernel floors: a bare inet_diag dump, and with -bpf the BPF iterators")
	bpfDir := flag.String("bpf", "", "directory holding the pinned TCP iterators nop and rows (see scripts/bench.sh)")
	rawDump := flag.Bool("raw-dump", false, "run one inet_diag TCP dump, decoding but printing nothing, and exit (a floor command)")
	rawDumps := flag.Int("raw-dumps", 0, "run this many dumps as -raw-dump does, in one process, and exit (a floor without a process start per dump)")
	dnsDir := flag.String("dns", "", "run the name-resolution case with the files in this directory")
	summary := flag.String("summary", "", "print the summary of a results file and exit")
	flag.Parse()

	if *rawDump || *rawDumps > 0 {
		for range max(*rawDumps, 1) {
			if err := bareDump(); err != nil {
				fmt.Fprintln(os.Stderr, "bench:", err)
				os.Exit(1)
			}
		}
		return
	}
	if *summary != "" {
		if err := printSummary(*summary); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	var out []result
	if *contOnly {
		out = []result{runCont(*ours, *label)}
		if *floor {
			out = append(out, runFloors(*label, *runs, *bpfDir)...)
		}
	} else if *dnsDir != "" {
		out = runDNS(*ours, *label, *runs, *dnsDir)
	} else {
		out = runGroups(*ours, *label, *procs, *runs, *budget)
		if *cont {
			out = append(out, runCont(*ours, *label))
		}
		if *floor {
			out = append(out, runFloors(*label, *runs, *bpfDir)...)
		}
		printVerdicts(out)
	}
	if *results != "" {
		if err := appendResults(*results, out); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
	}
}

// command is one command line being timed.
type command struct {
	name  string
	argv  []string
	wall  []time.Duration
	cpu   []time.Duration
	rss   int64 // KiB
	spent time.Duration
	err   error
}

func cmd(name string, argv ...string) *command { return &command{name: name, argv: argv} }

func runGroups(ours, label string, procs, runs int, budget time.Duration) []result {
	groups := [][]*command{
		{cmd("ours -tan", ours, "-tan"), cmd("ss -tan", "ss", "-tan"), cmd("net-tools -tan", "/usr/bin/netstat", "-tan")},
		{cmd("ours -tanp", ours, "-tanp"), cmd("net-tools -tanp", "/usr/bin/netstat", "-tanp")},
		{cmd("ours -tulpn", ours, "-tulpn"), cmd("ss -tulpn", "ss", "-tulpn"), cmd("net-tools -tulpn", "/usr/bin/netstat", "-tulpn")},
		{cmd("ours -an", ours, "-an"), cmd("net-tools -an", "/usr/bin/netstat", "-an")},
		{cmd("ours -tan --numeric-users -e", ours, "-tan", "--numeric-users", "-e"), cmd("net-tools -tan --numeric-users -e", "/usr/bin/netstat", "-tan", "--numeric-users", "-e")},
	}
	sockets := socketCount()
	fmt.Printf("population %s: %d sockets, %d processes; up to %d runs each (budget %v), median wall and CPU, max peak RSS\n",
		label, sockets, procs, runs, budget)
	out := []result{{Kind: "population", Label: label, Sockets: sockets, Procs: procs}}
	for _, g := range groups {
		for _, c := range g {
			// Warm-up, counted as a timed run when it is slow: then caches matter
			// little and a second run would cost too much.
			start := time.Now()
			c.run(false)
			if time.Since(start) > 2*time.Second {
				c.run(true)
			}
		}
		for i := 0; i < runs; i++ {
			for _, c := range g {
				if len(c.wall) < runs && c.spent < budget {
					c.run(true)
				}
			}
		}
		for _, c := range g {
			r := c.result(label)
			out = append(out, r)
			line := fmt.Sprintf("  %-36s %8.3f s  cpu %7.3f s  %7.1f MiB  %d runs", c.name, r.Wall, r.CPU, r.RSS, r.Runs)
			if r.Err != "" {
				line += "   error: " + r.Err
			}
			fmt.Println(line)
		}
	}
	// The listener listings hold no TIME_WAIT or other moving sockets, so ours must
	// print net-tools' bytes on the population: the target's "output unchanged".
	for _, args := range [][]string{{"-tulpn"}, {"-ntlp"}} {
		name := "ours " + strings.Join(args, " ")
		same, err := sameOutput(append([]string{ours}, args...), append([]string{"/usr/bin/netstat"}, args...))
		fmt.Printf("  %-36s output identical to net-tools': %v\n", name, same)
		r := result{Kind: "same", Label: label, Name: name + " output", Same: &same}
		if err != nil {
			r.Err = err.Error()
			fmt.Println("    error:", err)
		}
		out = append(out, r)
	}
	for _, argv := range [][]string{{ours, "-tan"}, {ours, "-tanp"}} {
		name := "ours " + strings.Join(argv[1:], " ")
		first, total, err := firstLine(argv)
		fmt.Printf("  %-36s first line after %.3f s of %.3f s (median of %d, stdout a pipe)\n", name, first, total, firstRuns)
		for i := range out {
			if out[i].Kind == "cmd" && out[i].Name == name {
				out[i].First, out[i].Piped = first, total
				if err != nil && out[i].Err == "" {
					out[i].Err = err.Error()
				}
			}
		}
	}
	return out
}

// sameOutput runs both command lines once and reports whether they print the same
// bytes on stdout.
func sameOutput(a, b []string) (bool, error) {
	x, _, errA := capture(a)
	y, _, errB := capture(b)
	if err := errors.Join(errA, errB); err != nil {
		return false, err
	}
	return bytes.Equal(x, y), nil
}

// run runs the command once with stdout on /dev/null; record keeps its figures.
func (c *command) run(record bool) {
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		c.err = err
		return
	}
	defer devnull.Close()
	x := exec.Command(c.argv[0], c.argv[1:]...)
	x.Stdout = devnull
	x.Env = append(os.Environ(), "LC_ALL=C")
	var stderr strings.Builder
	x.Stderr = &stderr
	start := time.Now()
	if err := x.Start(); err != nil {
		c.err = err
		return
	}
	timer := time.AfterFunc(commandLimit, func() { x.Process.Kill() })
	err = x.Wait()
	timer.Stop()
	elapsed := time.Since(start)
	if err != nil {
		c.err = fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if !record {
		return
	}
	c.wall = append(c.wall, elapsed)
	c.spent += elapsed
	if ru, ok := x.ProcessState.SysUsage().(*syscall.Rusage); ok {
		c.cpu = append(c.cpu, time.Duration(ru.Utime.Nano()+ru.Stime.Nano()))
		c.rss = max(c.rss, ru.Maxrss)
	}
}

func (c *command) result(label string) result {
	r := result{Kind: "cmd", Label: label, Name: c.name, Wall: median(c.wall).Seconds(),
		CPU: median(c.cpu).Seconds(), RSS: float64(c.rss) / 1024, Runs: len(c.wall)}
	if c.err != nil {
		r.Err = c.err.Error()
	}
	return r
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2]
}

// firstLine runs argv with stdout on a pipe, firstRuns times, and returns the median
// time until the first complete line arrived and the median total time.
func firstLine(argv []string) (first, total float64, err error) {
	var firsts, totals []time.Duration
	for i := 0; i < firstRuns; i++ {
		x := exec.Command(argv[0], argv[1:]...)
		x.Env = append(os.Environ(), "LC_ALL=C")
		pipe, err := x.StdoutPipe()
		if err != nil {
			return 0, 0, err
		}
		start := time.Now()
		if err := x.Start(); err != nil {
			return 0, 0, err
		}
		timer := time.AfterFunc(commandLimit, func() { x.Process.Kill() })
		rd := bufio.NewReaderSize(pipe, 1<<20)
		_, lerr := rd.ReadSlice('\n')
		firsts = append(firsts, time.Since(start))
		io.Copy(io.Discard, rd)
		werr := x.Wait()
		timer.Stop()
		totals = append(totals, time.Since(start))
		if err := errors.Join(werr, ignoreFull(lerr)); err != nil {
			return 0, 0, err
		}
	}
	return median(firsts).Seconds(), median(totals).Seconds(), nil
}

func ignoreFull(err error) error {
	if errors.Is(err, bufio.ErrBufferFull) {
		return nil
	}
	return err
}

// runCont runs our -tanc until it has begun contHeaders refreshes and returns the CPU
// time (user+sys, from /proc/PID/stat) spent between the first and the last of them,
// per refresh. Each refresh is a dump, its rendering and a one-second sleep.
func runCont(ours, label string) result {
	r := result{Kind: "cont", Label: label, Name: "ours -tanc"}
	x := exec.Command(ours, "-tanc")
	x.Env = append(os.Environ(), "LC_ALL=C")
	pipe, err := x.StdoutPipe()
	if err == nil {
		err = x.Start()
	}
	if err != nil {
		r.Err = err.Error()
		return r
	}
	timer := time.AfterFunc(contLimit, func() { x.Process.Kill() })
	defer timer.Stop()
	sc := bufio.NewScanner(pipe)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ticks []int64
	for sc.Scan() && len(ticks) < contHeaders {
		if bytes.HasPrefix(sc.Bytes(), []byte("Active Internet connections")) {
			t, err := cpuTicks(x.Process.Pid)
			if err != nil {
				r.Err = err.Error()
				break
			}
			ticks = append(ticks, t)
		}
	}
	x.Process.Signal(syscall.SIGTERM)
	go io.Copy(io.Discard, pipe)
	x.Wait()
	if len(ticks) == contHeaders {
		r.CPU = float64(ticks[len(ticks)-1]-ticks[0]) / 100 / float64(contHeaders-1) // USER_HZ
		r.Runs = contHeaders - 1
	} else if r.Err == "" {
		r.Err = fmt.Sprintf("only %d refreshes seen", len(ticks))
	}
	fmt.Printf("  %-36s %.3f s CPU per refresh (over %d refreshes)\n", r.Name, r.CPU, contHeaders-1)
	return r
}

// cpuTicks returns utime+stime of pid in clock ticks.
func cpuTicks(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces; the fields after its closing parenthesis
	// start with the state (field 3): utime and stime are fields 14 and 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("malformed stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, errors.New("malformed stat")
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	return u + s, errors.Join(err1, err2)
}

// runDNS times ours -ta with unanswered DNS against net-tools -ta with files only.
func runDNS(ours, label string, runs int, dir string) []result {
	wrap := func(nsswitch string, argv ...string) []string {
		script := `mount --bind "$1" /etc/nsswitch.conf && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"`
		return append([]string{"unshare", "-m", "sh", "-c", script, "sh",
			filepath.Join(dir, nsswitch), filepath.Join(dir, "resolv.conf")}, argv...)
	}
	cmds := []*command{
		cmd("ours -ta (hosts: files dns, no answer)", wrap("nsswitch-dns.conf", ours, "-ta")...),
		cmd("net-tools -ta (hosts: files)", wrap("nsswitch-files.conf", "/usr/bin/netstat", "-ta")...),
	}
	sockets := socketCount()
	fmt.Printf("population %s: %d sockets; %d runs each\n", label, sockets, runs)
	var outputs [2][]byte
	same := true
	for i := 0; i < runs; i++ {
		for j, c := range cmds {
			b, d, err := capture(c.argv)
			c.wall = append(c.wall, d)
			if err != nil {
				c.err = err
			}
			if i == 0 {
				outputs[j] = b
			} else if !bytes.Equal(outputs[j], b) {
				c.err = errors.New("output changed between runs")
			}
		}
		same = same && bytes.Equal(outputs[0], outputs[1])
	}
	out := []result{{Kind: "population", Label: label, Sockets: sockets}}
	for _, c := range cmds {
		r := c.result(label)
		r.Kind = "dns"
		r.Same = &same
		out = append(out, r)
		fmt.Printf("  %-40s %8.3f s (max %.3f s)  %d runs\n", c.name, r.Wall, slices.Max(c.wall).Seconds(), r.Runs)
		if r.Err != "" {
			fmt.Println("    error:", r.Err)
		}
	}
	fmt.Printf("  outputs identical: %v (%d lines)\n", same, bytes.Count(outputs[1], []byte("\n")))
	return out
}

// capture runs argv and returns its stdout and wall time.
func capture(argv []string) ([]byte, time.Duration, error) {
	x := exec.Command(argv[0], argv[1:]...)
	x.Env = append(os.Environ(), "LC_ALL=C")
	var stdout, stderr bytes.Buffer
	x.Stdout, x.Stderr = &stdout, &stderr
	start := time.Now()
	if err := x.Start(); err != nil {
		return nil, 0, err
	}
	timer := time.AfterFunc(commandLimit, func() { x.Process.Kill() })
	err := x.Wait()
	timer.Stop()
	d := time.Since(start)
	if err != nil {
		err = fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), d, err
}

// socketCount is "sockets: used" of /proc/net/sockstat: every socket of the namespace.
func socketCount() int {
	b, err := os.ReadFile("/proc/net/sockstat")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "sockets:" && f[1] == "used" {
			n, _ := strconv.Atoi(f[2])
			return n
		}
	}
	return 0
}

func appendResults(path string, rs []result) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, r := range rs {
		if err := enc.Encode(r); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
