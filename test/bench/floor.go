//go:build linux

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netstat-go/netstat/internal/sockdiag"
	"github.com/netstat-go/netstat/netstat"
)

// Floor command names, as results and the summary show them.
const (
	floorDump    = "floor: inet_diag dump, decoded, no output"
	floorBPFWalk = "floor: BPF TCP iterator, empty program"
	floorBPFRows = "floor: BPF TCP iterator, -tan fields"
)

// runFloors times what listing the namespace's TCP sockets costs before any row is
// rendered: our inet_diag dump with its decoding (bench -raw-dump: the data source of
// netstat -tan alone), and, when dir holds them, two pinned BPF TCP iterators read
// with cat: one whose program does nothing (the kernel's walk of its socket tables,
// below which no interface can go) and one that copies out the fields of a -tan row.
// Their CPU times are the floor under `netstat -tanc`'s CPU per refresh.
func runFloors(label string, runs int, dir string) []result {
	self, err := os.Executable()
	if err != nil {
		return []result{{Kind: "floor", Label: label, Name: floorDump, Err: err.Error()}}
	}
	group := []*command{cmd(floorDump, self, "-raw-dump")}
	if dir != "" {
		group = append(group,
			cmd(floorBPFWalk, "cat", filepath.Join(dir, "nop")),
			cmd(floorBPFRows, "cat", filepath.Join(dir, "rows")))
	}
	for _, c := range group {
		c.run(false)
	}
	for i := 0; i < runs; i++ {
		for _, c := range group {
			c.run(true)
		}
	}
	var out []result
	for _, c := range group {
		r := c.result(label)
		r.Kind = "floor"
		out = append(out, r)
		line := fmt.Sprintf("  %-44s cpu %7.3f s  wall %7.3f s  %d runs", c.name, r.CPU, r.Wall, r.Runs)
		if r.Err != "" {
			line += "   error: " + r.Err
		}
		fmt.Println(line)
	}
	if dir == "" {
		fmt.Println("  (BPF floors not measured: no pinned iterators)")
	}
	return out
}

// bareDump runs the dump netstat -tan uses (one walk for both families), decoding
// every message into a Socket and printing nothing.
func bareDump() error {
	c := sockdiag.New()
	defer c.Close()
	n := 0
	err := c.InetSocketsBoth(context.Background(), netstat.TCP, sockdiag.Options{}, func(*netstat.Socket) error {
		n++
		return nil
	})
	if err == nil && n == 0 {
		err = fmt.Errorf("the dump listed no socket")
	}
	return err
}
