#!/bin/sh
# Runs staticcheck, installing it from the Go module proxy when it is not on PATH.
set -eu
SC=$(command -v staticcheck 2>/dev/null || true)
if [ -z "$SC" ]; then
	GOBIN=$(go env GOPATH)/bin
	SC=$GOBIN/staticcheck
	[ -x "$SC" ] || go install honnef.co/go/tools/cmd/staticcheck@latest
fi
exec "$SC" "$@"
