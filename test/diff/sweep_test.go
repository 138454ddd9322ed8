//go:build linux

package diff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// sweepCases is the number of generated command lines TestPrivilegedOptionSweep runs.
const sweepCases = 250

// sweepShort and sweepLong are the pool the sweep draws from: every socket, family and
// mode option of net-tools, repeated and contradictory ones, legacy families, and
// option errors. -c is left out (its own cases compare the first block under a timeout).
var (
	sweepShort = "tuwxlanepoWTv46UNSeernigsMCF"
	sweepLong  = []string{
		"--numeric-hosts", "--numeric-ports", "--numeric-users", "--extend", "--program",
		"--timers", "--wide", "--listening", "--all", "--tcp", "--udp", "--udplite", "--raw",
		"--unix", "-A inet", "-A inet6", "-A unix", "-A inet,unix", "--protocol=inet6,unix",
		"-A inet,inet6", "-A unix,inet6", "-A ipx", "-A ax25", "-A netrom", "-A x25", "-A rose",
		"-A ddp", "-A bluetooth", "-A all", "--inet", "--inet6", "--ipx", "--ax25", "--x25",
		"--rose", "--ddp", "--bluetooth", "--netrom", "--l2cap", "--rfcomm", "-2", "-f", "-N",
		"--symbolic", "--verbose", "--notrim", "-Z", "--sctp", "-S", "--route", "-r", "-i",
		"-g", "-s", "-M", "-I=lo", "-Ilo", "-Inone", "--interfaces=none", "--fib", "--cache",
		"--numeric", "-ee", "-nn", "--statistics", "--groups", "--masquerade", "-V", "--version",
		"-h", "-Q", "--bogus", "-A", "--protocol", "-I", "--num", "--n", "--ver", "--in", "-E",
	}
)

// sweepLines returns n command lines drawn from the pool with a fixed seed, so that every
// run checks the same lines: one to three bundled short options (most of the time), then
// up to three options from the long list.
func sweepLines(n int) []string {
	r := rand.New(rand.NewPCG(2026, 11))
	var lines []string
	for len(lines) < n {
		var args []string
		if r.IntN(10) < 6 {
			k := 1 + r.IntN(4)
			b := make([]byte, k)
			for i := range b {
				b[i] = sweepShort[r.IntN(len(sweepShort))]
			}
			args = append(args, "-"+string(b))
		}
		for range r.IntN(4) {
			args = append(args, sweepLong[r.IntN(len(sweepLong))])
		}
		if len(args) > 0 {
			lines = append(lines, strings.Join(args, " "))
		}
	}
	return lines
}

// TestPrivilegedOptionSweep compares net-tools and ours on generated combinations of
// options over the F1 population: the hand-written tables test each rule on purpose;
// this catches how rules combine (it found -6 --sctp reporting the missing IPv4 file).
func TestPrivilegedOptionSweep(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureF1(t, s, "sw")
	runAll(t, n, cs(sweepLines(sweepCases)...))
}

// TestSweepLines checks the generator: deterministic, the requested count, no -c.
func TestSweepLines(t *testing.T) {
	a, b := sweepLines(50), sweepLines(50)
	if len(a) != 50 || strings.Join(a, "|") != strings.Join(b, "|") {
		t.Fatalf("sweep lines are not deterministic or miss the count: %d lines", len(a))
	}
	for _, l := range sweepLines(sweepCases) {
		for _, f := range strings.Fields(l) {
			short := len(f) > 1 && f[0] == '-' && f[1] != '-' && f[1] != 'A' && f[1] != 'I'
			if short && strings.ContainsRune(f, 'c') {
				t.Errorf("line %q selects -c", l)
			}
		}
	}
}
