# netstat-go. `make test` is the one command that runs every test; CI calls it.
GO      ?= go
PKGS    := ./...
export CGO_ENABLED := 0

.PHONY: all build test deps lint unit race fuzz-smoke bench bench-weblog pgo bench-sniff bench-serve soak-serve clean install windows test-wine

all: build

# The release build (bin/netstat, make install) is optimised with the profile of
# scripts/pgo.sh. `go run`, `go build` and the tests build without it: a build with a
# profile compiles every package again, standard library included, which doubled the
# time of make test on a loaded machine.
PGO ?= cmd/netstat/release.pgo

build:
	$(GO) build -pgo=$(PGO) -trimpath -o bin/netstat ./cmd/netstat

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
	GOOS=darwin $(GO) vet $(PKGS)
	GOOS=windows $(GO) vet $(PKGS)
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

# Each fuzz target for 5,000 inputs: enough to catch regressions on the seed corpora
# plus fresh inputs. Longer runs: go test ./internal/... -run X -fuzz TARGET -fuzztime 10m
FUZZTIME ?= 5000x
fuzz-smoke:
	@./scripts/fuzz.sh $(FUZZTIME)

bench: build
	@./scripts/bench.sh

# netstat weblog vs the cheat sheet's awk pipelines (gawk, mawk) and GoAccess, 1M lines.
bench-weblog:
	@./scripts/bench-weblog.sh

# Regenerate cmd/netstat/release.pgo, the profile for profile-guided optimisation.
pgo:
	@./scripts/pgo.sh

# netstat sniff against tcpdump -w /dev/null and the cheat sheet's tcpdump | awk | sort
# recipe on 500,000 loopback packets (root: it makes a network namespace).
bench-sniff:
	@./scripts/bench-sniff.sh

# netstat serve: CPU per scrape and peak RSS beside the bare dump and node_exporter's
# tcpstat (CONNS, SCRAPES, ROUNDS); and the soak (DURATION, CONNS), opt-in, needs root.
bench-serve: build
	@./scripts/bench-serve.sh

soak-serve: build
	@./scripts/soak-serve.sh

# The binary, its man page (docs/netstat-go.8) and the bash, zsh and fish completion
# scripts the binary generates. DESTDIR stages a package.
PREFIX ?= /usr/local
DESTDIR ?=
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man8 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 bin/netstat $(DESTDIR)$(PREFIX)/bin/netstat
	install -m 644 docs/netstat-go.8 $(DESTDIR)$(PREFIX)/share/man/man8/netstat-go.8
	bin/netstat completion bash >$(DESTDIR)$(PREFIX)/share/bash-completion/completions/netstat
	bin/netstat completion zsh >$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_netstat
	bin/netstat completion fish >$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/netstat.fish

clean:
	rm -rf bin
