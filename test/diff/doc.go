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
// Environment:
//
//	DIFFTEST_SELF=1   use /usr/bin/netstat as "ours" too (validates the harness:
//	                  fixtures must be deterministic and masking right, so every case
//	                  must pass)
//	DIFFTEST_OURS=P   use the netstat binary at P instead of building ./cmd/netstat
//	DIFFTEST_DUMP=D   write every oracle outcome to a file in directory D
//
// The fixtures follow spec Appendix A (netstat-compat.md); the socket holders are the
// Go program in test/holder.
package diff
