//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// target is one of the targets on the figures of one population.
type target struct {
	text  string // how the issue states it
	limit float64
	// value computes the measured figure; ok is false when a figure is missing.
	value func(f figures) (v float64, ok bool)
	unit  string // "" for ratios
	// from is the smallest population (sockets) the target is judged on; 0 means
	// judgedFrom.
	from int
}

// judged reports whether the target is judged on a population of sockets.
func (t target) judged(sockets int) bool {
	from := t.from
	if from == 0 {
		from = judgedFrom
	}
	return sockets >= from
}

// figures are the results of one population, by command name.
type figures map[string]result

func (f figures) ratio(a, b string) (float64, bool) {
	x, okA := f[a]
	y, okB := f[b]
	if !okA || !okB || y.Wall == 0 || x.Err != "" || y.Err != "" {
		return 0, false
	}
	return x.Wall / y.Wall, true
}

// streaming estimates how far the dump of name's run had gone when the first line
// arrived, as a fraction. The dump and the rows take about as long as our whole -tan
// run and come last (-p scans the processes first), so the dump is taken to be the
// last W seconds of the run, W being the wall time of ours -tan.
func (f figures) streaming(name string) (float64, bool) {
	r, ok := f[name]
	tan, okTan := f["ours -tan"]
	if !ok || !okTan || r.Err != "" || r.First == 0 || tan.Wall == 0 {
		return 0, false
	}
	dumpStart := max(r.Piped-tan.Wall, 0)
	return max(r.First-dumpStart, 0) / tan.Wall, true
}

// same is 1 when name's output was net-tools' and 2 otherwise (the target is <= 1).
func (f figures) same(name string) (float64, bool) {
	r, ok := f[name]
	if !ok || r.Same == nil {
		return 0, false
	}
	if *r.Same && r.Err == "" {
		return 1, true
	}
	return 2, true
}

func (f figures) field(name string, get func(result) float64) (float64, bool) {
	r, ok := f[name]
	if !ok || r.Err != "" {
		return 0, false
	}
	return get(r), true
}

var targets = []target{
	{"netstat -tan <= 0.5 x ss -tan", 0.5, func(f figures) (float64, bool) { return f.ratio("ours -tan", "ss -tan") }, "", 0},
	{"netstat -tan <= 0.3 x net-tools -tan", 0.3, func(f figures) (float64, bool) { return f.ratio("ours -tan", "net-tools -tan") }, "", 0},
	{"netstat -tanp <= 0.12 x net-tools -tanp", 0.12, func(f figures) (float64, bool) { return f.ratio("ours -tanp", "net-tools -tanp") }, "", 0},
	{"netstat -an <= 0.5 x net-tools -an", 0.5, func(f figures) (float64, bool) { return f.ratio("ours -an", "net-tools -an") }, "", 0},
	{"netstat -tan --numeric-users -e <= 0.5 x net-tools", 0.5, func(f figures) (float64, bool) {
		return f.ratio("ours -tan --numeric-users -e", "net-tools -tan --numeric-users -e")
	}, "", 0},
	{"peak RSS of -tan <= 32 MiB", 32, func(f figures) (float64, bool) { return f.field("ours -tan", func(r result) float64 { return r.RSS }) }, " MiB", 0},
	{"peak RSS of -tanp <= 64 MiB", 64, func(f figures) (float64, bool) { return f.field("ours -tanp", func(r result) float64 { return r.RSS }) }, " MiB", 0},
	{"-tan streams: first line before half the dump", 0.5, func(f figures) (float64, bool) { return f.streaming("ours -tan") }, " of it", 0},
	{"-tanp streams: first line before half the dump", 0.5, func(f figures) (float64, bool) { return f.streaming("ours -tanp") }, " of it", 0},
	{"netstat -tanc: CPU per refresh <= 0.15 s", 0.15, func(f figures) (float64, bool) {
		return f.field("ours -tanc", func(r result) float64 { return r.CPU })
	}, " s", 0},
	// Set on 115,000 sockets held by 100 processes (make bench's 57500:100).
	{"netstat -tulpn <= 0.25 x ss -tulpn", 0.25, func(f figures) (float64, bool) { return f.ratio("ours -tulpn", "ss -tulpn") }, "", 100000},
	{"netstat -tulpn prints net-tools' bytes (1 = yes)", 1, func(f figures) (float64, bool) { return f.same("ours -tulpn output") }, "", 100000},
}

// judgedFrom is the population size most targets are set for (100,000 connections).
const judgedFrom = 200000

// printVerdicts prints each target that the figures of one population cover, judged
// when the population has judgedFrom sockets or more, for information otherwise.
func printVerdicts(rs []result) {
	f := figures{}
	sockets := 0
	for _, r := range rs {
		f[r.Name] = r
		if r.Kind == "population" {
			sockets = r.Sockets
		}
	}
	for _, t := range targets {
		if v, ok := t.value(f); ok {
			word := "(set for a larger population)"
			if t.judged(sockets) {
				word = verdict(v <= t.limit)
			}
			fmt.Printf("  %-58s %7.3f%s  %s\n", t.text, v, t.unit, word)
		}
	}
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "NOT MET"
}

// printSummary prints the results file as Markdown tables: wall times and ratios per
// population, memory and streaming, the -c and name-resolution cases, and the verdict
// on each target for the populations of 200,000 sockets and more.
func printSummary(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var order []string
	pops := map[string]result{}
	figs := map[string]figures{}
	var dns []result
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return err
		}
		switch r.Kind {
		case "population":
			if _, seen := figs[r.Label]; !seen {
				order = append(order, r.Label)
				figs[r.Label] = figures{}
			}
			pops[r.Label] = r
		case "dns":
			dns = append(dns, r)
		default:
			figs[r.Label][r.Name] = r
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}

	cols := []string{"ours -tan", "ss -tan", "net-tools -tan", "ours -tanp", "net-tools -tanp",
		"ours -an", "net-tools -an", "ours -tan --numeric-users -e", "net-tools -tan --numeric-users -e", "ours -tulpn", "ss -tulpn"}
	fmt.Println("Median wall time in seconds (CPU user+sys in parentheses):")
	fmt.Println()
	fmt.Println("| connections | sockets | processes | " + strings.Join(shortNames(cols), " | ") + " |")
	fmt.Println("|---|---:|---:|" + strings.Repeat("---:|", len(cols)))
	for _, label := range order {
		if len(figs[label]) == 0 {
			continue
		}
		p := pops[label]
		row := []string{label, fmt.Sprint(p.Sockets), fmt.Sprint(p.Procs)}
		for _, c := range cols {
			row = append(row, cell(figs[label], c))
		}
		fmt.Println("| " + strings.Join(row, " | ") + " |")
	}
	fmt.Println()
	fmt.Println("Ratios of wall times, peak RSS, time to the first line and -tanc CPU per refresh:")
	fmt.Println()
	fmt.Println("| connections | -tan / ss | -tan / net-tools | -tanp / net-tools | -an / net-tools | -tan -e / net-tools | RSS -tan | RSS -tanp | first line -tan | first line -tanp | -tanc CPU/refresh |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, label := range order {
		fg := figs[label]
		if len(fg) == 0 {
			continue
		}
		row := []string{label}
		for _, t := range targets[:5] {
			row = append(row, fmtValue(t.value(fg)))
		}
		rss := func(r result) float64 { return r.RSS }
		cpu := func(r result) float64 { return r.CPU }
		row = append(row,
			fmtUnit(fg, "ours -tan", rss, "%.1f MiB"), fmtUnit(fg, "ours -tanp", rss, "%.1f MiB"),
			fmtFirst(fg, "ours -tan"), fmtFirst(fg, "ours -tanp"),
			fmtUnit(fg, "ours -tanc", cpu, "%.3f s"))
		fmt.Println("| " + strings.Join(row, " | ") + " |")
	}
	printFloors(order, figs)
	if len(dns) > 0 {
		fmt.Println()
		fmt.Println("Name resolution (-ta, 1,000 peers whose reverse lookup gets no answer):")
		fmt.Println()
		for _, r := range dns {
			same := r.Same != nil && *r.Same
			fmt.Printf("- %s: %.3f s median of %d runs; output identical to net-tools: %v\n", r.Name, r.Wall, r.Runs, same)
		}
	}
	fmt.Println()
	fmt.Println("Targets (each on the populations it is set for: 200,000 sockets and more; -tulpn from 100,000):")
	fmt.Println()
	for _, label := range order {
		if len(figs[label]) == 0 {
			continue
		}
		for _, t := range targets {
			if !t.judged(pops[label].Sockets) {
				continue
			}
			if v, ok := t.value(figs[label]); ok {
				fmt.Printf("- %s, %s: %.3f%s, %s\n", label, t.text, v, t.unit, verdict(v <= t.limit))
			}
		}
	}
	for _, r := range dns {
		if strings.HasPrefix(r.Name, "ours") {
			same := r.Same != nil && *r.Same
			fmt.Printf("- %s: -ta with unanswered DNS <= 3 s with net-tools' output: %.3f s, identical %v, %s\n",
				r.Label, r.Wall, same, verdict(r.Wall <= 3 && same && r.Err == ""))
		}
	}
	return nil
}

func shortNames(cols []string) []string {
	var out []string
	for _, c := range cols {
		out = append(out, strings.Replace(c, " --numeric-users -e", " -e --numeric-users", 1))
	}
	return out
}

func cell(f figures, name string) string {
	r, ok := f[name]
	if !ok {
		return ""
	}
	if r.Err != "" {
		return "error"
	}
	s := fmt.Sprintf("%.3f (%.2f)", r.Wall, r.CPU)
	if r.Runs == 1 {
		s += " ¹"
	}
	return s
}

func fmtValue(v float64, ok bool) string {
	if !ok {
		return ""
	}
	return fmt.Sprintf("%.3f", v)
}

func fmtUnit(f figures, name string, get func(result) float64, format string) string {
	v, ok := f.field(name, get)
	if !ok {
		return ""
	}
	return fmt.Sprintf(format, v)
}

func fmtFirst(f figures, name string) string {
	r, ok := f[name]
	if !ok || r.First == 0 {
		return ""
	}
	return fmt.Sprintf("%.3f of %.3f s", r.First, r.Piped)
}

// printFloors prints, for the populations where they were measured, the CPU time of
// -tanc per refresh beside the kernel floors under it (floor.go).
func printFloors(order []string, figs map[string]figures) {
	header := false
	cpu := func(r result) float64 { return r.CPU }
	for _, label := range order {
		fg := figs[label]
		if _, ok := fg[floorDump]; !ok {
			continue
		}
		if !header {
			fmt.Println()
			fmt.Println("CPU per listing of every TCP socket, s (median): ours -tanc per refresh, and the kernel floors under it:")
			fmt.Println()
			fmt.Println("| connections | ours -tanc per refresh | inet_diag dump, decoded | BPF iterator, -tan fields | BPF iterator, empty program |")
			fmt.Println("|---|---:|---:|---:|---:|")
			header = true
		}
		fmt.Println("| " + strings.Join([]string{label,
			fmtUnit(fg, "ours -tanc", cpu, "%.3f"), fmtUnit(fg, floorDump, cpu, "%.3f"),
			fmtUnit(fg, floorBPFRows, cpu, "%.3f"), fmtUnit(fg, floorBPFWalk, cpu, "%.3f")}, " | ") + " |")
	}
}
