//go:build linux

// Package perf holds the privileged tests of the cases the benchmark (make bench)
// times: they check that what is timed is right, never how fast it is (timing belongs
// to the benchmark's output). Each builds a socket population with test/popgen in a
// network namespace of its own, runs the real /usr/bin/netstat and ours in it with
// private /etc files (bind-mounted in a private mount namespace) and requires the same
// stdout, stderr and exit status.
//
//   - TestDNSUnansweredPrivileged: 1,000 peers on distinct 127.10.x.y addresses and a
//     DNS server that never answers (test/perf/dnssink); ours runs `-ta` under
//     nsswitch `hosts: files dns`, net-tools under `hosts: files` (its `files dns`
//     run would take hours), and the outputs must be equal: addresses whose lookup
//     gets no answer print as numbers.
//   - TestPopulationPrivileged: 10,000 connections over 12 processes plus IPv6,
//     TIME_WAIT, UDP and unix sockets, through every listing the benchmark times and
//     the family selections that exercise the single dump of both TCP families.
//
// The tests need root. They skip when not root unless CI=true, in which case they
// fail. Every process started is stopped by its PID and every namespace deleted.
//
//	go test ./test/perf/ -v
package perf
