#!/bin/sh
# Runs every fuzz target in the module for $1 (default 3s) each.
set -eu
t=${1:-3s}
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "fuzz $pkg $target"
		go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$t" >/tmp/fuzz.$$ 2>&1 || { cat /tmp/fuzz.$$; rm -f /tmp/fuzz.$$; exit 1; }
	done
done
rm -f /tmp/fuzz.$$
echo "fuzz: all targets passed"
