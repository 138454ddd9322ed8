# netstat-go. `make test` is the one command that runs every test; CI calls it.
GO      ?= go
PKGS    := ./...
export CGO_ENABLED := 0

.PHONY: all build test deps lint unit race fuzz-smoke bench clean windows test-wine

all: build

build:
	$(GO) build -trimpath -o bin/netstat ./cmd/netstat

# Everything: tool check/installation, formatting, vet, staticcheck, unit tests, the
# privileged differential tests against the real /usr/bin/netstat, and a short fuzz pass.
test: deps lint windows
	$(GO) test -count=1 -timeout 20m $(PKGS)
	$(MAKE) race
	$(MAKE) fuzz-smoke

# The race detector over the packages with goroutines (pipelined dumps, the /proc fd
# scan's workers, concurrent name resolution) and the CLI; it needs cgo and a C compiler.
race:
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 10m ./internal/... ./netstat/... ./test/answers/

# The differential tests need net-tools (the oracle) and iproute2 (namespaces).
deps:
	@./scripts/install-deps.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	@./scripts/staticcheck.sh $(PKGS)

# The Windows build: vet for GOOS=windows, compile the Windows packages' unit tests for
# Windows, and cross-build bin/netstat.exe.
windows:
	GOOS=windows $(GO) vet $(PKGS)
	GOOS=windows GOARCH=amd64 $(GO) test -c -o bin/windows-tests/ ./internal/winnetstat ./internal/winsource
	GOOS=windows GOARCH=amd64 $(GO) build -trimpath -o bin/netstat.exe ./cmd/netstat

# netstat.exe end to end under Wine, alone (make test runs it with everything else).
test-wine: deps
	$(GO) test -count=1 -v -timeout 10m ./test/wine

unit:
	$(GO) test -count=1 -short $(PKGS)

# Each fuzz target for a few seconds: enough to catch regressions on the seed corpora
# plus fresh inputs. Longer runs: go test ./internal/... -run X -fuzz TARGET -fuzztime 10m
FUZZTIME ?= 3s
fuzz-smoke:
	@./scripts/fuzz.sh $(FUZZTIME)

bench: build
	@./scripts/bench.sh

clean:
	rm -rf bin
