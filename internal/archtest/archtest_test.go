// Package archtest enforces the import rules of docs/architecture.md on the module's
// packages, as `go list` sees them for each target system.
package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/netstat-go/netstat"

// The layers of docs/architecture.md, as paths below the module.
var (
	domain         = []string{"netstat"}
	kernelReaders  = []string{"internal/sockdiag", "internal/procnet", "internal/procfd"}
	liveSources    = []string{"internal/system", "internal/source", "internal/winsource"}
	analyses       = []string{"internal/analysis"}
	renderers      = []string{"internal/textfmt", "internal/jsonfmt", "internal/csvfmt", "internal/sink"}
	views          = []string{"internal/cli", "internal/top", "internal/closecmd", "internal/serve", "internal/weblog", "internal/sniff", "internal/winnetstat"}
	readersSources = append(slices.Clone(kernelReaders), liveSources...)
)

// pkg is what `go list -json` says of one package.
type pkg struct {
	ImportPath string
	Imports    []string // direct, non-test imports
	Deps       []string // every package it depends on, transitively
	Standard   bool
}

// list runs `go list -deps -json ./...` for goos and returns the module's packages
// and whether each dependency is in the standard library.
func list(t *testing.T, goos string) (mine map[string]*pkg, std map[string]bool) {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-deps", "-json=ImportPath,Imports,Deps,Standard", "./...")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "GOOS="+goos, "CGO_ENABLED=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list for GOOS=%s: %v\n%s", goos, err, stderr.String())
	}
	mine, std = map[string]*pkg{}, map[string]bool{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(pkg)
		if err := dec.Decode(p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		std[p.ImportPath] = p.Standard
		if rel, ok := inModule(p.ImportPath); ok {
			mine[rel] = p
		}
	}
	if len(mine) < 10 {
		t.Fatalf("go list for GOOS=%s found only %d packages of %s", goos, len(mine), module)
	}
	return mine, std
}

// inModule returns path relative to the module, if it is the module's.
func inModule(path string) (string, bool) {
	return strings.CutPrefix(path, module+"/")
}

// under reports whether rel is one of the packages or below one of them.
func under(rel string, pkgs []string) bool {
	for _, p := range pkgs {
		if rel == p || strings.HasPrefix(rel, p+"/") {
			return true
		}
	}
	return false
}

// root returns the element of pkgs that rel is or is below ("" for none): the view a
// package belongs to (internal/weblog/agg belongs to internal/weblog).
func root(rel string, pkgs []string) string {
	for _, p := range pkgs {
		if rel == p || strings.HasPrefix(rel, p+"/") {
			return p
		}
	}
	return ""
}

func TestImportRules(t *testing.T) {
	for _, goos := range []string{"linux", "windows", "darwin"} {
		t.Run(goos, func(t *testing.T) {
			mine, std := list(t, goos)
			for rel, p := range mine {
				var deps []string // the module's packages p depends on
				for _, d := range p.Deps {
					if r, ok := inModule(d); ok {
						deps = append(deps, r)
					}
				}
				// The domain package imports only the standard library.
				if under(rel, domain) {
					for _, d := range p.Deps {
						if !std[d] {
							t.Errorf("%s depends on %s: the domain package may import only the standard library", rel, d)
						}
					}
				}
				for _, d := range deps {
					switch {
					case under(rel, readersSources) && under(d, views):
						t.Errorf("%s depends on the view %s: kernel readers and sources import no views", rel, d)
					case under(rel, append(slices.Clone(analyses), renderers...)) && under(d, readersSources):
						t.Errorf("%s depends on %s: renderers and analyses import no kernel readers or sources", rel, d)
					case under(rel, analyses) && under(d, renderers):
						t.Errorf("%s depends on the renderer %s: analyses import no renderers", rel, d)
					case under(rel, []string{"internal/jsonfmt", "internal/csvfmt"}) && under(d, []string{"internal/textfmt"}):
						t.Errorf("%s depends on %s: the machine formats do not import net-tools' text renderer", rel, d)
					case under(rel, views) && under(d, views) && root(rel, views) != root(d, views):
						t.Errorf("%s depends on the view %s: views do not import each other", rel, d)
					}
				}
				// Nothing but the main package imports the net-tools CLI.
				if rel != "cmd/netstat" && !under(rel, []string{"internal/cli"}) {
					for _, d := range deps {
						if under(d, []string{"internal/cli"}) {
							t.Errorf("%s depends on %s: nothing imports cli", rel, d)
						}
					}
				}
			}
		})
	}
}

// TestRulesNameRealPackages keeps the lists above honest: a renamed or removed
// package would otherwise make its rules pass vacuously.
func TestRulesNameRealPackages(t *testing.T) {
	mine, _ := list(t, "linux")
	for _, layer := range [][]string{domain, kernelReaders, liveSources, analyses, renderers, views} {
		for _, rel := range layer {
			if rel == "internal/winnetstat" {
				continue // built for every system, but checked below with its own GOOS
			}
			if _, ok := mine[rel]; !ok {
				t.Errorf("%s is not a package of the module", rel)
			}
		}
	}
	win, _ := list(t, "windows")
	if _, ok := win["internal/winnetstat"]; !ok {
		t.Error("internal/winnetstat is not a package of the module for GOOS=windows")
	}
}
