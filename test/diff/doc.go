//go:build linux

// Package diff holds the differential test suite that runs the real net-tools
// /usr/bin/netstat (the oracle) and our ./cmd/netstat side by side in fresh network
// namespaces holding known socket, route, interface and counter populations, and
// requires stdout, stderr and the exit status to be identical.
//
// The tests need root (network namespaces, bind mounts, other uids). They skip when
// not root unless CI=true, in which case they fail. Run them with
//
//	go test ./test/diff/ -v
//
// How a case runs (spec §13, Appendix A):
//
//   - Each top-level test builds one fixture namespace (plus a peer namespace where
//     needed) named nsd-<test PID>-<tag>, starts test/holder processes that create the
//     sockets and print READY, and deletes everything in t.Cleanup. Holders also exit
//     when their standard input closes, and namespaces left by a killed run are removed
//     by the next one.
//   - Both binaries run through the same wrapper: ip netns exec NS unshare -m, bind
//     mounts of private hosts (hosts: files only), resolv.conf, nsswitch.conf, passwd
//     and optionally services/protocols over /etc, then env -i with LC_ALL=C and
//     "netstat" found through a PATH directory of its own, so argv[0] is identical.
//     Cases may run as another uid (setpriv), by absolute path (our path is replaced
//     by /usr/bin/netstat before comparing) or with an explicit argv[0].
//   - The oracle runs first, then ours. Socket listings run a second time with
//     NETSTAT_GO_SOURCE=proc for ours. For -i and -s the namespace's counters are
//     compared before and after the pair, and the pair is repeated if they moved.
//   - -c cases run under timeout 2.5 (both binaries at the same time, since they mostly
//     sleep); the first block, the number of blocks, the exit status (124) and the set
//     of stderr lines are compared.
//   - The only masking: the seconds of running -o timers ("on (0.76/1/0)" is compared
//     as "on (T/1/0)": kind and counts kept), and the errno-dependent second message
//     of "-r -A netrom" (spec §13 row 41). A -o pair is repeated when the namespace's
//     retransmit or probe counts moved while it ran.
//
// Environment:
//
//	DIFFTEST_SELF=1   use /usr/bin/netstat as "ours" too (validates the harness:
//	                  fixtures must be deterministic and masking right, so every case
//	                  must pass)
//	DIFFTEST_OURS=P   use the netstat binary at P instead of building ./cmd/netstat
//	DIFFTEST_DUMP=D   write every oracle outcome to a file in directory D
//
// Besides the case tables (cases_test.go), TestPrivilegedOptionSweep runs a fixed,
// seeded set of generated option combinations (sweep_test.go).
//
// The fixtures follow spec Appendix A (netstat-compat.md) and add populations of
// their own (fixtures_test.go); the socket holders are the Go program in test/holder.
package diff
