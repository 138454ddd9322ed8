// Command bench times netstat implementations side by side on the current network
// namespace's socket population: after a warm-up, each command runs -runs times,
// alternating between commands so that drift hits all of them alike, and the median
// wall time and the largest peak RSS are printed with ratios to the baselines.
//
//	ip netns exec NS bench -label 100k -runs 5 -ours bin/netstat
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

type command struct {
	name string
	argv []string
	wall []time.Duration
	rss  int64 // KiB
	err  error
}

func main() {
	ours := flag.String("ours", "bin/netstat", "our netstat binary")
	runs := flag.Int("runs", 5, "timed runs per command")
	label := flag.String("label", "", "population label for the report")
	flag.Parse()

	groups := [][]*command{
		{cmd("ours -tan", *ours, "-tan"), cmd("ss -tan", "ss", "-tan"), cmd("net-tools -tan", "/usr/bin/netstat", "-tan")},
		{cmd("ours -tanp", *ours, "-tanp"), cmd("ss -tanp", "ss", "-tanp"), cmd("net-tools -tanp", "/usr/bin/netstat", "-tanp")},
		{cmd("ours -an", *ours, "-an"), cmd("net-tools -an", "/usr/bin/netstat", "-an")},
		{cmd("ours -tan --numeric-users -e", *ours, "-tan", "--numeric-users", "-e"), cmd("net-tools -tan --numeric-users -e", "/usr/bin/netstat", "-tan", "--numeric-users", "-e")},
	}
	for _, g := range groups {
		for _, c := range g { // warm-up
			c.run(false)
		}
		for i := 0; i < *runs; i++ {
			for _, c := range g {
				c.run(true)
			}
		}
	}
	fmt.Printf("population %s: %d runs each, median wall time, max peak RSS\n", *label, *runs)
	for _, g := range groups {
		base := g[0]
		for _, c := range g {
			line := fmt.Sprintf("  %-36s %9.3f s %8.1f MiB", c.name, c.median().Seconds(), float64(c.rss)/1024)
			if c != base && c.median() > 0 {
				line += fmt.Sprintf("   ours/this = %.3f", base.median().Seconds()/c.median().Seconds())
			}
			if c.err != nil {
				line += "   error: " + c.err.Error()
			}
			fmt.Println(line)
		}
	}
}

func cmd(name string, argv ...string) *command { return &command{name: name, argv: argv} }

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
	err = x.Run()
	elapsed := time.Since(start)
	if err != nil {
		c.err = fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if !record {
		return
	}
	c.wall = append(c.wall, elapsed)
	if ru, ok := x.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > c.rss {
		c.rss = ru.Maxrss
	}
}

func (c *command) median() time.Duration {
	if len(c.wall) == 0 {
		return 0
	}
	w := slices.Clone(c.wall)
	slices.Sort(w)
	return w[len(w)/2]
}
