#!/bin/sh
# Runs every fuzz target in the module for $1 each (default 5000x: 5,000 inputs beyond
# the seed corpus), one worker at a time (the machines have 2 cores) and under a hard
# time limit, so that a stalled fuzzer fails the run instead of hanging it.
#
# The budget is a count, not a duration: Go 1.26's fuzz coordinator can report
# "context deadline exceeded" when a duration runs out while a worker is mid-input
# (golang/go#75804, fixed in Go 1.27), a failure with no failing input that a loaded
# machine makes likely. A count has no deadline to race.
set -eu
t=${1:-5000x}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "fuzz $pkg $target"
		if ! timeout 300 go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$t" -parallel 1 >"$log" 2>&1; then
			cat "$log"
			exit 1
		fi
	done
done
echo "fuzz: all targets passed"
