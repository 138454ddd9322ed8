package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"context"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// fakeIfaces is a netstat.IfaceSource over a captured ioctl view (ioctl.json, written
// by internal/system's TestDumpIfaceSnapshot). Unknown names fail like the kernel,
// with ENODEV.
type fakeIfaces struct {
	Conf     []string                     `json:"conf"`
	Ifaces   map[string]netstat.Interface `json:"fetch"`
	ConfErr  error                        `json:"-"`
	FetchErr error                        `json:"-"` // returned for every name when set
	closed   bool
}

func (f *fakeIfaces) ConfNames() ([]string, error) { return f.Conf, f.ConfErr }

func (f *fakeIfaces) Fetch(name string) (netstat.Interface, error) {
	if f.FetchErr != nil {
		return netstat.Interface{Name: name}, f.FetchErr
	}
	ifc, ok := f.Ifaces[name]
	if !ok {
		return netstat.Interface{Name: name}, fmt.Errorf("SIOCGIFFLAGS %q: %w", name, syscall.ENODEV)
	}
	return ifc, nil
}

func (f *fakeIfaces) Close() error { f.closed = true; return nil }

func loadFakeIfaces(t *testing.T, path string) *fakeIfaces {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeIfaces{}
	if err := json.Unmarshal(raw, f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

func ifaceReadFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ifaceEnv is an env over a /proc tree, writing into the two buffers.
func ifaceEnv(proc fs.FS, stdout, stderr *bytes.Buffer) *env {
	return &env{stdout: bufio.NewWriter(stdout), stderr: stderr, proc: proc}
}

func parseIfaceArgs(t *testing.T, args ...string) *Config {
	t.Helper()
	cfg, _, act := Parse(append([]string{"netstat"}, args...), false)
	if act != nil || cfg == nil || cfg.Interfaces == 0 {
		t.Fatalf("Parse(%q) did not select -i", args)
	}
	return cfg
}

// TestInterfacesGolden replays each fixture of testdata/iface (its /proc/net files and
// ioctl view) through option parsing, the interface list and the renderers, and
// compares stdout, stderr and the exit status with what /usr/bin/netstat printed for
// the same state (see testdata/iface/capture.sh: live namespaces f5 and f0, and
// hand-written /proc files read by the real netstat under a tmpfs /proc).
func TestInterfacesGolden(t *testing.T) {
	argFiles, err := filepath.Glob(filepath.Join("testdata", "iface", "*", "want", "*.args"))
	if err != nil || len(argFiles) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, af := range argFiles {
		fixture := filepath.Dir(filepath.Dir(af))
		base := strings.TrimSuffix(af, ".args")
		args := strings.Fields(ifaceReadFile(t, af))
		t.Run(filepath.Base(fixture)+"/netstat "+strings.Join(args, " "), func(t *testing.T) {
			src := loadFakeIfaces(t, filepath.Join(fixture, "ioctl.json"))
			var stdout, stderr bytes.Buffer
			e := ifaceEnv(os.DirFS(filepath.Join(fixture, "proc")), &stdout, &stderr)
			rc := exitStatus(e.runInterfacesWith(context.Background(), parseIfaceArgs(t, args...), source.NewTables(e.proc, func() (netstat.IfaceSource, error) { return src, nil })))
			e.stdout.Flush()
			if diff := cmp.Diff(ifaceReadFile(t, base+".stdout"), stdout.String()); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(ifaceReadFile(t, base+".stderr"), stderr.String()); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
			if want, _ := strconv.Atoi(strings.TrimSpace(ifaceReadFile(t, base+".exit"))); rc != want {
				t.Errorf("exit status = %d, want %d", rc, want)
			}
			if !src.closed {
				t.Error("source not closed")
			}
		})
	}
}

// TestInterfacesContinuous checks the -c contract (spec §5.4, §8.2): the title only in
// the first iteration, the header and the rows in every one; with -e no header.
func TestInterfacesContinuous(t *testing.T) {
	fixture := filepath.Join("testdata", "iface", "f5")
	for _, name := range []string{"netstat-ia", "netstat-iea"} {
		t.Run(name, func(t *testing.T) {
			once := ifaceReadFile(t, filepath.Join(fixture, "want", name+".stdout"))
			rest := strings.TrimPrefix(once, "Kernel Interface table\n")
			want := once + rest + rest
			var stdout, stderr bytes.Buffer
			e := ifaceEnv(os.DirFS(filepath.Join(fixture, "proc")), &stdout, &stderr)
			cfg := parseIfaceArgs(t, strings.Fields(strings.TrimPrefix(name, "netstat"))...)
			cfg.Continuous = 1
			for i := 0; i < 3; i++ {
				src := loadFakeIfaces(t, filepath.Join(fixture, "ioctl.json"))
				if rc := e.runInterfacesWith(context.Background(), cfg, source.NewTables(e.proc, func() (netstat.IfaceSource, error) { return src, nil })); rc != 0 {
					t.Fatalf("iteration %d: status %d", i, rc)
				}
			}
			e.stdout.Flush()
			if diff := cmp.Diff(want, stdout.String()); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInterfacesErrors(t *testing.T) {
	dev := "Inter-|\n face |bytes compressed\n    lo: 1 2\n"
	lo := netstat.Interface{Name: "lo", Flags: netstat.IfUp | netstat.IfLoopback | netstat.IfRunning,
		HWType: netstat.HWLoopback, MTU: 65536, TxQueueLen: 1000}
	tests := []struct {
		name       string
		proc       fstest.MapFS
		src        *fakeIfaces
		openErr    error
		wantOut    string
		wantErr    string
		wantStatus int
	}{
		{
			// sockets_open found nothing: its message, then perror("socket").
			name:       "no socket",
			openErr:    fmt.Errorf("socket: %w", syscall.EAFNOSUPPORT),
			wantErr:    "No usable address families found.\nsocket: Address family not supported by protocol\n",
			wantStatus: 1,
		},
		{
			name: "SIOCGIFCONF fails, /proc/net/dev is enough",
			proc: fstest.MapFS{"net/dev": {Data: []byte(dev)}},
			src:  &fakeIfaces{ConfErr: syscall.EINVAL, Ifaces: map[string]netstat.Interface{"lo": lo}},
			wantOut: "Kernel Interface table\n" + ifaceHeader +
				"lo              65536        2      0      0 0             0      0      0      0 LRU\n",
			wantErr: "SIOCGIFCONF: Invalid argument\n",
		},
		{
			name:    "both sources fail",
			proc:    fstest.MapFS{},
			src:     &fakeIfaces{ConfErr: syscall.EINVAL},
			wantOut: "Kernel Interface table\n" + ifaceHeader,
			wantErr: "Warning: cannot open /proc/net/dev (No such file or directory). Limited output.\n" +
				"SIOCGIFCONF: Invalid argument\nmissing interface information: Invalid argument\n",
			wantStatus: 1,
		},
		{
			name:    "fetch fails with ENODEV",
			proc:    fstest.MapFS{"net/dev": {Data: []byte(dev)}},
			src:     &fakeIfaces{Ifaces: map[string]netstat.Interface{}},
			wantOut: "Kernel Interface table\n" + ifaceHeader,
			wantErr: "lo: error fetching interface information: Device not found\n" +
				"missing interface information: No such device\n",
			wantStatus: 1,
		},
		{
			name:    "fetch fails with another errno",
			proc:    fstest.MapFS{"net/dev": {Data: []byte(dev)}},
			src:     &fakeIfaces{FetchErr: fmt.Errorf("SIOCGIFFLAGS: %w", syscall.EPERM)},
			wantOut: "Kernel Interface table\n" + ifaceHeader,
			wantErr: "lo: error fetching interface information: Operation not permitted\n" +
				"missing interface information: Operation not permitted\n",
			wantStatus: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			e := ifaceEnv(tt.proc, &stdout, &stderr)
			rc := e.runInterfacesWith(context.Background(), parseIfaceArgs(t, "-i"), source.NewTables(e.proc, func() (netstat.IfaceSource, error) {
				if tt.openErr != nil {
					return nil, tt.openErr
				}
				return tt.src, nil
			}))
			e.stdout.Flush()
			if diff := cmp.Diff(tt.wantOut, stdout.String()); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErr, stderr.String()); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
			if rc != tt.wantStatus {
				t.Errorf("status = %d, want %d", rc, tt.wantStatus)
			}
		})
	}
}

const ifaceHeader = "Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n"
