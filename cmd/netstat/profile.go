package main

import (
	"os"
	"os/signal"
	"runtime/pprof"
	"sync"
	"syscall"
)

// startCPUProfile writes a CPU profile to path until the returned function is called.
// With exitOnSignal (net-tools mode, whose -c runs until a signal) SIGINT or SIGTERM
// writes the profile and exits; a subcommand instead ends on its context's
// cancellation and returns, so the caller's stop writes it.
func startCPUProfile(path string, exitOnSignal bool) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			f.Close()
		})
	}
	if !exitOnSignal {
		return stop, nil
	}
	// -c runs until a signal ends it: write the profile first, then exit with the
	// shell's status for that signal. (Re-raising it would not do: a shell starts
	// background jobs with SIGINT ignored, and Reset would restore that.)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		stop()
		code := 130
		if sig == syscall.SIGTERM {
			code = 143
		}
		os.Exit(code)
	}()
	return stop, nil
}
