//go:build linux

// Command benchtop measures what `netstat top` costs per refresh in the network
// namespace it runs in, next to the floor under it: the live source's snapshot of the
// TCP sockets without extras (the inet_diag dump, decoded, no output). It drives the real view model (the
// internal/top package) with the live source through Bubble Tea messages, as the
// terminal would, and times CPU (user+system, getrusage) per phase:
//
//   - floor: source.Live.Snapshot of TCP, no extras (what `netstat -tan` reads);
//   - stream: the stream top asks for (TCP and UDP with tcp_info), handed to a
//     visitor that keeps nothing: the source's share of a refresh;
//   - refresh: a whole refresh of the view (stream into compact rows, diff, rates,
//     sort, one frame);
//   - frame: drawing one frame alone.
//
// The peak RSS of the view is measured on the real binary (scripts/bench-top.sh runs
// `netstat top` in tmux): this process also holds the floor's snapshots.
//
// scripts/bench-top.sh builds the populations and runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/top"
	"github.com/netstat-go/netstat/netstat"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// driver runs the model the way Bubble Tea does: every command's message goes back
// to Update; timer ticks are held until the next refresh is wanted.
type driver struct {
	m     tea.Model
	ticks []tea.Msg
	snaps int
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
		return
	}
	switch fmt.Sprintf("%T", msg) {
	case "top.tickMsg":
		d.ticks = append(d.ticks, msg)
		return
	case "top.chunkMsg":
		d.snaps++
	}
	m, next := d.m.Update(msg)
	d.m = m
	d.run(next)
}

// refresh delivers the held tick: the model takes and applies the next snapshot.
func (d *driver) refresh() {
	t := d.ticks
	d.ticks = nil
	for _, msg := range t {
		m, next := d.m.Update(msg)
		d.m = m
		d.run(next)
	}
}

func main() {
	label := flag.String("label", "", "population label")
	runs := flag.Int("runs", 10, "timed refreshes")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	flag.Parse()
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtop:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "benchtop:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	ctx := context.Background()
	live := source.NewLive(source.LiveOptions{})
	defer live.Close()

	floorQ := source.Query{Protos: []netstat.Proto{netstat.TCP}}
	// What top streams each refresh (top.New adds tcp_info to the query).
	topQ := source.Query{Protos: []netstat.Proto{netstat.TCP, netstat.UDP}, Extras: source.WithTCPInfo}
	m := top.New(ctx, top.Config{Source: live, Destroyer: live, Owners: live.Owners(), Names: resolve.Numeric{},
		Query: source.Query{Protos: topQ.Protos}, Interval: time.Millisecond})
	d := &driver{m: m}
	d.m, _ = d.m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.run(m.Init()) // the first snapshot, with the owner scan
	rows := 0
	var floor, snap, refresh, frame []time.Duration
	for range *runs {
		c := cpu()
		if _, err := live.Snapshot(ctx, floorQ); err != nil {
			fmt.Fprintln(os.Stderr, "benchtop:", err)
			os.Exit(1)
		}
		floor = append(floor, cpu()-c)
		c = cpu()
		n := 0
		_, err := live.Stream(ctx, topQ, source.Visit{Inet: func(*netstat.Socket) error { n++; return nil }})
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtop:", err)
			os.Exit(1)
		}
		snap = append(snap, cpu()-c)
		rows = n
		c = cpu()
		d.refresh()
		_ = d.m.View()
		refresh = append(refresh, cpu()-c)
		c = cpu()
		for range 100 {
			// A message that changes nothing makes the model draw the next frame
			// anew (it keeps a frame until an Update).
			d.m, _ = d.m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			_ = d.m.View()
		}
		frame = append(frame, (cpu()-c)/100)
	}
	f, r := median(floor), median(refresh)
	fmt.Printf("%-20s %7d sockets  floor %7.2f ms  top's stream %7.2f ms (%.2fx)  refresh %7.2f ms (%.2fx floor)  frame %6.3f ms\n",
		*label, rows, ms(f), ms(median(snap)), float64(median(snap))/float64(f), ms(r), float64(r)/float64(f), ms(median(frame)))
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
