package sink

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/csvfmt"
	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/internal/jsonfmt/schematest"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// The sinks compose the renderers of textfmt, jsonfmt and csvfmt, whose text is
// checked against net-tools and the JSON schema in their own packages and by the
// listing's end-to-end tests (internal/cli). These tests check what the sinks add:
// headers and table order, which rows and tables each format keeps, when output is
// written, and that the text path allocates nothing.

func testSocket(port uint16, state netstat.TCPState) netstat.Socket {
	return netstat.Socket{
		Proto: netstat.TCP, Family: netstat.IPv4, State: state,
		Local:  netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port),
		Remote: netip.MustParseAddrPort("10.0.0.2:40000"),
		UID:    1000, Inode: uint64(port),
	}
}

var testUnix = netstat.UnixSocket{RefCnt: 2, Type: netstat.UnixStream,
	State: netstat.UnixConnected, HasInode: true, Inode: 77, Path: "/run/x.sock"}

var owner = netstat.Process{PID: 42, Name: "sshd"}

func program(inode uint64) *netstat.Process {
	if inode == 22 {
		return &owner
	}
	return nil
}

func holders(inode uint64) []netstat.Process {
	if p := program(inode); p != nil {
		return []netstat.Process{*p}
	}
	return nil
}

// writes records each Write separately.
type writes struct{ chunks []string }

func (w *writes) Write(p []byte) (int, error) {
	w.chunks = append(w.chunks, string(p))
	return len(p), nil
}

func TestTextTables(t *testing.T) {
	o := textfmt.SocketOptions{NumericHosts: true, NumericPorts: true, Programs: true}
	var w writes
	s := NewText(&w, &o, Selection{All: true}, resolve.Numeric{}, program)
	rows := []netstat.Socket{testSocket(22, netstat.Listen), testSocket(80, netstat.Established)}
	s.BeginInet()
	for i := range rows {
		s.Inet(&rows[i])
	}
	if len(w.chunks) != 0 {
		t.Errorf("small table written before Flush: %q", w.chunks)
	}
	s.Flush()
	s.BeginUnix()
	s.Unix(&testUnix)
	s.Flush()
	s.Flush() // nothing held: no empty write

	want := textfmt.InetHeader(&o, true, false)
	for i := range rows {
		want = string(textfmt.AppendInetRow([]byte(want), &rows[i], &o, resolve.Numeric{}, program))
	}
	unix := textfmt.UnixHeader(true, true, false)
	unix = string(textfmt.AppendUnixRow([]byte(unix), &testUnix, true, program))
	if diff := cmp.Diff([]string{want, unix}, w.chunks); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	if !strings.Contains(want, "42/sshd") {
		t.Errorf("the -p column does not use the program lookup:\n%s", want)
	}
}

// TestTextStreams checks that a large table is written in chunks while rows arrive.
func TestTextStreams(t *testing.T) {
	o := textfmt.SocketOptions{NumericHosts: true, NumericPorts: true}
	var w writes
	s := NewText(&w, &o, Selection{}, resolve.Numeric{}, nil)
	sk := testSocket(80, netstat.Established)
	s.BeginInet()
	for range 2000 {
		s.Inet(&sk)
	}
	if len(w.chunks) == 0 {
		t.Fatal("2000 rows held without a write")
	}
	for _, c := range w.chunks {
		if len(c) < flushAt {
			t.Errorf("chunk of %d bytes written before Flush, want at least %d", len(c), flushAt)
		}
	}
	s.Flush()
	all := strings.Join(w.chunks, "")
	if n := strings.Count(all, "\n"); n != 2000+2 {
		t.Errorf("%d lines, want 2000 rows and 2 header lines", n)
	}
}

// TestTextAllocatesNothing guards the cost of large listings: once its buffer has
// grown, the text sink renders and writes rows without allocating.
func TestTextAllocatesNothing(t *testing.T) {
	o := textfmt.SocketOptions{NumericHosts: true, NumericPorts: true, Programs: true, Timers: true}
	s := NewText(io.Discard, &o, Selection{All: true}, resolve.Numeric{}, program)
	sk := testSocket(22, netstat.Listen)
	s.BeginInet()
	s.Inet(&sk)
	s.Flush()
	if n := testing.AllocsPerRun(100, func() {
		for range 200 {
			s.Inet(&sk)
			s.Unix(&testUnix)
		}
		s.Flush()
	}); n != 0 {
		t.Errorf("%v allocations per 400 rows, want 0", n)
	}
}

func machine(tables Tables, programs bool) Machine {
	return Machine{
		Options:   jsonfmt.SocketOptions{Programs: programs},
		Selection: Selection{Listening: true},
		Tables:    tables,
		Names:     resolve.Numeric{},
		Program:   program,
		Holders:   holders,
	}
}

func TestJSON(t *testing.T) {
	data, err := os.ReadFile("../../docs/json-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	schema, err := schematest.Compile(data)
	if err != nil {
		t.Fatal(err)
	}
	m := netstat.Membership{Family: netstat.IPv4, Iface: "lo", Users: 1,
		Group: netip.MustParseAddr("224.0.0.1")}
	sk := testSocket(22, netstat.Listen)
	tests := []struct {
		name     string
		tables   Tables
		programs bool
		run      func(j *JSON)
		kind     string
		arrays   map[string]int // array name: elements
	}{
		{"all tables", Tables{Inet: true, Groups: true, Unix: true}, true, func(j *JSON) {
			j.BeginInet()
			j.Inet(&sk)
			j.Inet(&sk)
			j.BeginGroups()
			j.Group(&m)
			j.BeginUnix()
			j.Unix(&testUnix)
		}, jsonfmt.KindSockets, map[string]int{"inet": 2, "groups": 1, "unix": 1}},
		{"empty inet table", Tables{Inet: true}, false, func(j *JSON) { j.BeginInet() },
			jsonfmt.KindSockets, map[string]int{"inet": 0}},
		{"groups only", Tables{Groups: true}, false, func(j *JSON) {
			j.BeginGroups()
			j.Group(&m)
		}, jsonfmt.KindGroups, map[string]int{"groups": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w bytes.Buffer
			j := NewJSON(&w, machine(tt.tables, tt.programs))
			tt.run(j)
			if w.Len() != 0 {
				t.Errorf("document written before End: %q", w.String())
			}
			j.End()
			out := w.Bytes()
			if err := schema.Validate(out); err != nil {
				t.Errorf("%s: %v", out, err)
			}
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			if doc["kind"] != tt.kind {
				t.Errorf("kind %v, want %s", doc["kind"], tt.kind)
			}
			if tt.kind == jsonfmt.KindSockets && doc["selection"] != jsonfmt.Selection(false, true) {
				t.Errorf("selection %v, want %s", doc["selection"], jsonfmt.Selection(false, true))
			}
			for name, n := range tt.arrays {
				if a, ok := doc[name].([]any); !ok || len(a) != n {
					t.Errorf("%q: %v, want %d elements", name, doc[name], n)
				}
			}
			if tt.programs {
				inet := doc["inet"].([]any)[0].(map[string]any)
				if inet["program"] != "sshd" {
					t.Errorf("inet row's program %v, want sshd (the holders lookup)", inet["program"])
				}
			}
		})
	}
}

func TestCSVFirstTableOnly(t *testing.T) {
	m := netstat.Membership{Family: netstat.IPv4, Iface: "lo", Users: 1,
		Group: netip.MustParseAddr("224.0.0.1")}
	sk := testSocket(22, netstat.Listen)
	o := jsonfmt.SocketOptions{Programs: true}
	tests := []struct {
		tables Tables
		want   [][]string
	}{
		{Tables{Inet: true, Groups: true, Unix: true}, [][]string{
			csvfmt.InetHeader(&o),
			csvfmt.InetRecord(nil, &sk, &o, resolve.Numeric{}, program),
		}},
		{Tables{Groups: true, Unix: true}, [][]string{
			csvfmt.GroupHeader(false),
			csvfmt.GroupRecord(nil, &m, false, resolve.Numeric{}),
		}},
		{Tables{Unix: true}, [][]string{
			csvfmt.UnixHeader(true),
			csvfmt.UnixRecord(nil, &testUnix, true, program),
		}},
	}
	for _, tt := range tests {
		var w bytes.Buffer
		s := NewCSV(&w, machine(tt.tables, true))
		if tt.tables.Inet {
			s.BeginInet()
			s.Inet(&sk)
		}
		if tt.tables.Groups {
			s.BeginGroups()
			s.Group(&m)
		}
		if tt.tables.Unix {
			s.BeginUnix()
			s.Unix(&testUnix)
		}
		s.End()
		got, err := csv.NewReader(&w).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tt.tables, diff)
		}
		if tt.tables.Inet && !slices.Contains(got[1], "sshd") {
			t.Errorf("inet record without the owner: %q", got[1])
		}
	}
}

func TestNewMachine(t *testing.T) {
	if _, ok := NewMachine("csv", io.Discard, Machine{}).(*CSV); !ok {
		t.Error(`NewMachine("csv") is not the CSV sink`)
	}
	if _, ok := NewMachine("json", io.Discard, Machine{}).(*JSON); !ok {
		t.Error(`NewMachine("json") is not the JSON sink`)
	}
}

func TestCount(t *testing.T) {
	var groups []analysis.Group
	total, calls := 0, 0
	text := analysis.KeyText{NumericHosts: true, NumericPorts: true, Names: resolve.Numeric{}}
	c := NewCount([]analysis.Key{analysis.KeyState}, 1, text, func(g []analysis.Group, n int) {
		groups, total = g, n
		calls++
	})
	rows := []netstat.Socket{testSocket(1, netstat.Established), testSocket(2, netstat.Listen),
		testSocket(3, netstat.Established)}
	c.BeginInet()
	for i := range rows {
		c.Inet(&rows[i])
	}
	c.BeginUnix()
	c.Unix(&testUnix)
	c.Flush()
	if calls != 0 {
		t.Fatal("counts handed out before End")
	}
	c.End()
	want := []analysis.Group{{Keys: []string{"ESTABLISHED"}, Count: 2}}
	if diff := cmp.Diff(want, groups); diff != "" || total != 3 || calls != 1 {
		t.Errorf("groups (-want +got):\n%s\ntotal %d (want 3), %d calls (want 1)", diff, total, calls)
	}
}
