package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/jsonfmt"
	"github.com/netstat-go/netstat/internal/jsonfmt/schematest"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/system"
	"github.com/netstat-go/netstat/netstat"
)

// The machine-output tests run the whole command (extension options, net-tools
// options, the modes) over the captured fixture trees the text tests use, and check
// (1) every JSON document against docs/json-schema.json, (2) the CSV table, parsed back
// with encoding/csv, against the values of the text net-tools printed for the same
// files, and (3) the JSON values against the CSV ones. The JSON output of a few
// command lines is also kept as golden files (testdata/format), which -update
// rewrites: that format is ours.

var updateGolden = flag.Bool("update", false, "rewrite the golden files of formats netstat-go owns")

// machineSchema compiles docs/json-schema.json.
func machineSchema(t *testing.T) *schematest.Schema {
	t.Helper()
	data, err := os.ReadFile("../../docs/json-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := schematest.Compile(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// extRun parses a full command line (netstat-go's options included) as Main does and
// runs it on e. It returns the exit status; the output is in e's buffers.
func extRun(t *testing.T, e *env, args ...string) int {
	t.Helper()
	argv, ext, act := splitExtensions(append([]string{"netstat"}, args...))
	if act != nil {
		t.Fatalf("%q: %s", args, act.Stderr)
	}
	cfg, warnings, act := Parse(argv, false)
	if act != nil {
		t.Fatalf("%q: Parse stopped: %+v", args, act)
	}
	cfg.Ext = ext
	if warnings != "" {
		t.Fatalf("%q: warnings %q", args, warnings)
	}
	rc := exitStatus(e.run(context.Background(), cfg))
	if err := e.stdout.Flush(); err != nil {
		t.Fatal(err)
	}
	return rc
}

// jsonDocs validates each line of out as one document and returns them decoded (numbers
// as json.Number).
func jsonDocs(t *testing.T, s *schematest.Schema, out string) []map[string]any {
	t.Helper()
	if out == "" {
		return nil
	}
	if !strings.HasSuffix(out, "\n") {
		t.Fatalf("output does not end in a newline: %q", out)
	}
	var docs []map[string]any
	for _, line := range strings.SplitAfter(strings.TrimSuffix(out, "\n"), "\n") {
		if err := s.Validate([]byte(line)); err != nil {
			t.Fatalf("%v\n%s", err, line)
		}
		d := json.NewDecoder(strings.NewReader(line))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, m)
	}
	return docs
}

// csvTable parses a CSV output and returns its records as maps keyed by the header.
func csvTable(t *testing.T, out string) (header []string, rows []map[string]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, out)
	}
	if len(recs) == 0 {
		return nil, nil
	}
	header = recs[0]
	for _, r := range recs[1:] {
		if slices.Equal(r, header) {
			t.Fatalf("header repeated within one table:\n%s", out)
		}
		m := map[string]string{}
		for i, h := range header {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return header, rows
}

// jsonText is the CSV text of a decoded JSON value: "" for null, names joined by
// spaces for a list.
func jsonText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return string(v)
	case []any:
		var parts []string
		for _, x := range v {
			parts = append(parts, jsonText(x))
		}
		return strings.Join(parts, " ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// sameAsCSV checks that every CSV column of each row equals the JSON field of the same
// name (a nested "timer" object's fields become timer_*, retransmits and probes).
func sameAsCSV(t *testing.T, items []any, rows []map[string]string) {
	t.Helper()
	if len(items) != len(rows) {
		t.Fatalf("%d JSON items, %d CSV rows", len(items), len(rows))
	}
	for i, it := range items {
		obj := map[string]any{}
		for k, v := range it.(map[string]any) {
			obj[k] = v
		}
		if tm, ok := obj["timer"].(map[string]any); ok {
			obj["timer"] = tm["kind"]
			obj["timer_code"], obj["timer_expires_ms"] = tm["code"], tm["expires_ms"]
			obj["retransmits"], obj["probes"] = tm["retransmits"], tm["probes"]
		}
		for col, val := range rows[i] {
			j, ok := obj[col]
			if !ok {
				t.Errorf("row %d: CSV column %q has no JSON field", i, col)
				continue
			}
			if got := jsonText(j); got != val {
				t.Errorf("row %d: %s: JSON %q, CSV %q", i, col, got, val)
			}
		}
	}
}

// listingArgs are the command lines captured from net-tools on the listing fixture.
func listingArgs(t *testing.T) map[string][]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "listing", "want", "*.args"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no listing cases: %v", err)
	}
	out := map[string][]string{}
	for _, f := range files {
		out[strings.TrimSuffix(f, ".args")] = strings.Fields(mustRead(t, f))
	}
	return out
}

// textTables splits net-tools' listing output into the rows of its Internet and unix
// tables (headers dropped).
func textTables(out string) (inet, unix []string) {
	var cur *[]string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "Active Internet"):
			cur = &inet
		case strings.HasPrefix(l, "Active UNIX"):
			cur = &unix
		case strings.HasPrefix(l, "Proto "), cur == nil:
		default:
			*cur = append(*cur, l)
		}
	}
	return inet, unix
}

// endpointText rebuilds net-tools' Local/Foreign Address text from a CSV row's values:
// the name if there is one, else the number ("[::]" for the IPv6 wildcard with names,
// IPv4-mapped addresses as dotted quads), the port as "*", service name or number, cut
// to 23 bytes the way net-tools cuts it unless -W.
func endpointText(row map[string]string, side string, wide bool) string {
	addr, port := row[side+"_address"], row[side+"_port"]
	host, hasNames := row[side+"_host"]
	if host == "" {
		host = addr
		switch {
		case addr == "::" && hasNames:
			host = "[::]"
		case strings.HasPrefix(addr, "::ffff:") && strings.Contains(addr, "."):
			host = strings.TrimPrefix(addr, "::ffff:")
		}
	}
	p := row[side+"_service"]
	if p == "" {
		p = port
		if port == "0" {
			p = "*"
		}
	}
	if !wide && len(host)+len(p) > 22 {
		pl := min(len(p), 18)
		al := min(22-pl, len(host))
		return host[:al] + ":" + p[:pl]
	}
	return host + ":" + p
}

// inetStateText is the State column net-tools prints for a row's state name.
func inetStateText(proto, state string) string {
	switch proto {
	case "tcp":
		return state
	case "raw":
		return strconv.Itoa(slices.Index(jsonfmt.StateNames(), state) + 1)
	}
	switch state {
	case "ESTABLISHED":
		return "ESTABLISHED"
	case "CLOSE":
		return ""
	}
	return "UNKNOWN"
}

// inetRowText rebuilds the leading columns of an Internet row as net-tools prints
// them (Proto ... State, then User and Inode with -e).
func inetRowText(row map[string]string, wide, extend bool) []string {
	label := map[string]string{"tcp": "tcp", "udp": "udp", "udplite": "udpl", "raw": "raw"}[row["proto"]]
	if row["family"] == "inet6" {
		label += "6"
	}
	f := []string{label, row["recv_q"], row["send_q"], endpointText(row, "local", wide), endpointText(row, "remote", wide)}
	if st := inetStateText(row["proto"], row["state"]); st != "" {
		f = append(f, st)
	}
	if extend {
		user := row["user"]
		if user == "" {
			user = row["uid"]
		}
		f = append(f, user, row["inode"])
	}
	return f
}

// unixRowText rebuilds a unix row's columns as net-tools prints them.
func unixRowText(row map[string]string) []string {
	f := []string{"unix", row["refcnt"], "["}
	if row["flags"] != "" {
		f = append(f, strings.Fields(row["flags"])...)
	}
	f = append(f, "]", row["type"])
	switch st := row["state"]; st {
	case "UNCONNECTED":
	default:
		f = append(f, st)
	}
	f = append(f, row["inode"])
	if row["path"] != "" {
		f = append(f, row["path"])
	}
	return f
}

// TestMachineListing checks the JSON and CSV output of every captured listing command
// line against the schema and against net-tools' text for the same /proc files.
func TestMachineListing(t *testing.T) {
	sc := machineSchema(t)
	dir := filepath.Join("testdata", "listing")
	for base, args := range listingArgs(t) {
		t.Run("netstat "+strings.Join(args, " "), func(t *testing.T) {
			cfg, _, _ := Parse(append([]string{"netstat"}, args...), false)
			wide, extend := cfg.Wide > 0, cfg.Extend > 1
			textInet, textUnix := textTables(mustRead(t, base+".stdout"))
			wantExit, _ := strconv.Atoi(strings.TrimSpace(mustRead(t, base+".exit")))

			var jout, jerr bytes.Buffer
			if rc := extRun(t, fixtureEnv(dir, &jout, &jerr), append(args, "--json")...); rc != wantExit {
				t.Errorf("--json exit %d, want %d", rc, wantExit)
			}
			if got, want := jerr.String(), mustRead(t, base+".stderr"); got != want {
				t.Errorf("--json stderr %q, want net-tools' %q", got, want)
			}
			docs := jsonDocs(t, sc, jout.String())
			if len(docs) != 1 {
				t.Fatalf("%d documents, want 1", len(docs))
			}
			doc := docs[0]
			inetItems, hasInet := doc["inet"].([]any)
			unixItems, hasUnix := doc["unix"].([]any)
			if hasInet != (textInet != nil || strings.Contains(mustRead(t, base+".stdout"), "Active Internet")) {
				t.Errorf("inet array present = %v, text has the table = %v", hasInet, !hasInet)
			}
			if hasUnix != strings.Contains(mustRead(t, base+".stdout"), "Active UNIX") {
				t.Errorf("unix array present = %v, disagrees with the text", hasUnix)
			}

			var cout, cerr bytes.Buffer
			if rc := extRun(t, fixtureEnv(dir, &cout, &cerr), append(args, "--format=csv")...); rc != wantExit {
				t.Errorf("--format=csv exit %d, want %d", rc, wantExit)
			}
			header, rows := csvTable(t, cout.String())
			switch {
			case hasInet:
				if header[0] != "proto" || !slices.Contains(header, "local_port") {
					t.Fatalf("CSV header %q, want the Internet table's", header)
				}
				sameAsCSV(t, inetItems, rows)
				if len(rows) != len(textInet) {
					t.Fatalf("%d CSV rows, net-tools printed %d", len(rows), len(textInet))
				}
				for i, row := range rows {
					if diff := cmp.Diff(strings.Fields(textInet[i]), inetRowText(row, wide, extend)); diff != "" {
						t.Errorf("row %d (-net-tools +csv):\n%s", i, diff)
					}
				}
			case hasUnix:
				sameAsCSV(t, unixItems, rows)
				if len(rows) != len(textUnix) {
					t.Fatalf("%d CSV rows, net-tools printed %d", len(rows), len(textUnix))
				}
				for i, row := range rows {
					if diff := cmp.Diff(strings.Fields(textUnix[i]), unixRowText(row)); diff != "" {
						t.Errorf("unix row %d (-net-tools +csv):\n%s", i, diff)
					}
				}
			default:
				if header != nil {
					t.Errorf("CSV table %q without a socket table", header)
				}
			}
			if hasUnix && hasInet {
				// CSV shows the first table only; the unix rows still match the text.
				if len(unixItems) != len(textUnix) {
					t.Errorf("%d unix items, net-tools printed %d", len(unixItems), len(textUnix))
				}
			}
		})
	}
}

// TestMachineListingUnixCSV checks the unix table in CSV (-x alone) against the text.
func TestMachineListingUnixCSV(t *testing.T) {
	dir := filepath.Join("testdata", "listing")
	for _, args := range [][]string{{"-x"}, {"-xa"}, {"-xl"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var tout, terr, cout, cerr bytes.Buffer
			extRun(t, fixtureEnv(dir, &tout, &terr), args...)
			extRun(t, fixtureEnv(dir, &cout, &cerr), append(args, "--format=csv")...)
			_, textUnix := textTables(tout.String())
			_, rows := csvTable(t, cout.String())
			if len(rows) != len(textUnix) || len(rows) == 0 {
				t.Fatalf("%d CSV rows, text has %d", len(rows), len(textUnix))
			}
			for i, row := range rows {
				if diff := cmp.Diff(strings.Fields(textUnix[i]), unixRowText(row)); diff != "" {
					t.Errorf("row %d (-text +csv):\n%s", i, diff)
				}
			}
		})
	}
}

// TestMachineListingGolden keeps the JSON of a few command lines on the listing
// fixture; go test -run TestMachineListingGolden -update rewrites them.
func TestMachineListingGolden(t *testing.T) {
	sc := machineSchema(t)
	dir := filepath.Join("testdata", "listing")
	for name, args := range map[string][]string{
		"listing-an":    {"-an", "--json"},
		"listing-a":     {"-a", "--json"},
		"listing-xl":    {"-xl", "--json"},
		"listing-ut-ln": {"-ut", "-ln", "--format=csv"},
	} {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			extRun(t, fixtureEnv(dir, &out, &errb), args...)
			if args[len(args)-1] == "--json" {
				jsonDocs(t, sc, out.String())
			}
			golden := filepath.Join("testdata", "format", name+".golden")
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(mustRead(t, golden), out.String()); diff != "" {
				t.Errorf("(-golden +got):\n%s", diff)
			}
		})
	}
}

// TestMachineContinuous checks -c: one JSON document (or one CSV table, header
// included) per iteration.
func TestMachineContinuous(t *testing.T) {
	sc := machineSchema(t)
	dir := filepath.Join("testdata", "listing")
	for _, format := range []string{"--json", "--format=csv"} {
		t.Run(format, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := fixtureEnv(dir, &out, &errb)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			sleeps := 0
			e.sleep = func(time.Duration) {
				if sleeps++; sleeps == 2 {
					cancel()
				}
			}
			argv, ext, _ := splitExtensions([]string{"netstat", "-tnc", format})
			cfg, _, _ := Parse(argv, false)
			cfg.Ext = ext
			e.run(ctx, cfg)
			e.stdout.Flush()
			if format == "--json" {
				if docs := jsonDocs(t, sc, out.String()); len(docs) != 3 {
					t.Fatalf("%d documents for 3 iterations", len(docs))
				}
				return
			}
			if n := strings.Count(out.String(), "proto,family,recv_q"); n != 3 {
				t.Fatalf("%d header rows for 3 iterations", n)
			}
		})
	}
}

// routeFixtureEnv is an env over an archive's /proc files.
func routeFixtureEnv(proc map[string]string, names resolve.Names, stdout, stderr *bytes.Buffer) *env {
	fsys := fstest.MapFS{}
	for name, content := range proc {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return &env{stdout: bufio.NewWriter(stdout), stderr: stderr, proc: fsys, names: names, sleep: func(time.Duration) {}}
}

// routeTextRows splits net-tools' -r output into tables: each table's header fields
// and rows.
type routeTextTable struct {
	title  string
	header []string
	rows   [][]string
}

func routeTextTables(out string) []routeTextTable {
	var tables []routeTextTable
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch {
		case strings.HasPrefix(l, "Kernel "):
			tables = append(tables, routeTextTable{title: l})
		case len(tables) == 0, strings.Contains(l, "not configured"), strings.HasPrefix(l, "ERROR:"),
			strings.HasPrefix(l, "IPX routing"):
			// A notice, not a row.
		case tables[len(tables)-1].header == nil:
			h := strings.Replace(l, "Next Hop", "NextHop", 1)
			tables[len(tables)-1].header = strings.Fields(h)
		default:
			tables[len(tables)-1].rows = append(tables[len(tables)-1].rows, strings.Fields(l))
		}
	}
	return tables
}

// TestMachineRoutes runs the numeric -r command lines of the route archives with
// --json and --format=csv and checks them against the schema and net-tools' text.
func TestMachineRoutes(t *testing.T) {
	sc := machineSchema(t)
	names := captureNames(t)
	checked := 0
	for _, path := range routeArchives(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		a := parseRouteArchive(string(data))
		proc := a.procFiles(t, path)
		for _, cmd := range a.cmds() {
			argv, timed := splitRouteCmd(cmd)
			cfg, _, act := Parse(argv, false)
			if act != nil || cfg.Route == 0 || timed {
				continue
			}
			want, ok := a.want(cmd)
			if !ok {
				continue
			}
			t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar")+"/"+cmd, func(t *testing.T) {
				var jout, jerr, cout, cerr bytes.Buffer
				jrc := extRun(t, routeFixtureEnv(proc, names, &jout, &jerr), append(argv[1:], "--json")...)
				crc := extRun(t, routeFixtureEnv(proc, names, &cout, &cerr), append(argv[1:], "--format=csv")...)
				if jrc != want.Exit || crc != want.Exit {
					t.Errorf("exit %d (json), %d (csv), want %d", jrc, crc, want.Exit)
				}
				// net-tools' stdout notices move to stderr, after its own messages.
				tables := routeTextTables(want.Stdout)
				docs := jsonDocs(t, sc, jout.String())
				if want.Exit == 255 {
					return // rt_cache without a header: net-tools stops mid-table
				}
				if len(docs) != 1 {
					t.Fatalf("%d documents, want 1", len(docs))
				}
				jtables := docs[0]["tables"].([]any)
				var items []any
				for _, jt := range jtables {
					items = append(items, jt.(map[string]any)["routes"].([]any)...)
				}
				_, rows := csvTable(t, cout.String())
				if len(items) != len(rows) {
					t.Fatalf("%d JSON routes, %d CSV rows", len(items), len(rows))
				}
				var textRows [][]string
				var textHeaders [][]string
				for _, tt := range tables {
					for _, r := range tt.rows {
						textRows = append(textRows, r)
						textHeaders = append(textHeaders, tt.header)
					}
				}
				if cfg.Extend == 4 { // -eee: titles only
					textRows = nil
				}
				if textRows != nil && len(textRows) != len(rows) {
					t.Fatalf("%d CSV rows, net-tools printed %d", len(rows), len(textRows))
				}
				numeric := cfg.NumericHosts || cfg.Symbolic
				for i := range textRows {
					checkRouteRow(t, i, textHeaders[i], textRows[i], rows[i], numeric)
				}
				checked++
			})
		}
	}
	if checked < 10 {
		t.Errorf("only %d route command lines checked", checked)
	}
}

// checkRouteRow compares the columns of a net-tools route row with a CSV row.
func checkRouteRow(t *testing.T, i int, header, text []string, row map[string]string, numeric bool) {
	t.Helper()
	if len(text) != len(header) {
		return // a reject route's "-" columns or an empty Iface: skip the layout
	}
	for j, h := range header {
		got, col := "", ""
		switch h {
		case "Destination":
			col = "destination"
			got = row["destination"]
			if row["family"] == "inet6" {
				got += "/" + row["prefix_len"]
			}
			if !numeric && row["destination_name"] != "" {
				got = row["destination_name"]
			}
		case "Gateway", "NextHop":
			col, got = "gateway", row["gateway"]
			if !numeric && row["gateway_name"] != "" {
				got = row["gateway_name"]
			}
		case "Genmask":
			col, got = "genmask", row["genmask"]
		case "Metric", "Met":
			col, got = "metric", row["metric"]
		case "Ref":
			col, got = "ref", row["ref"]
		case "Use":
			col, got = "use", row["use"]
		case "Iface", "If":
			col, got = "iface", row["iface"]
		case "MSS":
			col, got = "mss", row["mss"]
		case "Window":
			col, got = "window", row["window"]
		case "irtt":
			col, got = "irtt", row["irtt"]
		default:
			continue
		}
		w := text[j]
		if !numeric && (col == "destination" || col == "gateway") {
			continue // names follow net-tools' lookup rules; checked in jsonfmt
		}
		if w == "-" && strings.Contains(row["flags"], "REJECT") {
			continue // net-tools prints no values for a reject route
		}
		if row["family"] == "inet6" && (col == "gateway" || col == "destination") {
			if w == "[::]" {
				w = "::"
			}
			if strings.HasPrefix(got, "::ffff:") && strings.Contains(got, ".") {
				got = strings.TrimPrefix(got, "::ffff:") // net-tools shows IPv4-mapped addresses as dotted quads
			}
		}
		if col == "iface" && len(got) > 6 && len(w) == 6 {
			got = got[:6]
		}
		if w != got {
			t.Errorf("row %d %s: net-tools %q, csv %q", i, h, w, got)
		}
	}
}

// TestMachineGroups runs the -g command lines of the route archives.
func TestMachineGroups(t *testing.T) {
	sc := machineSchema(t)
	names := captureNames(t)
	for _, path := range routeArchives(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		a := parseRouteArchive(string(data))
		proc := a.procFiles(t, path)
		for _, cmd := range a.cmds() {
			argv, timed := splitRouteCmd(cmd)
			cfg, _, act := Parse(argv, false)
			if act != nil || cfg.Groups == 0 || cfg.Arg != cfg.Groups || timed || !cfg.NumericHosts {
				continue
			}
			want, _ := a.want(cmd)
			t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar")+"/"+cmd, func(t *testing.T) {
				var jout, jerr, cout, cerr bytes.Buffer
				e := routeFixtureEnv(proc, names, &jout, &jerr)
				e.sockets = &system.ProcSource{Proc: e.proc}
				jrc := extRun(t, e, append(argv[1:], "--json")...)
				e = routeFixtureEnv(proc, names, &cout, &cerr)
				e.sockets = &system.ProcSource{Proc: e.proc}
				extRun(t, e, append(argv[1:], "--format=csv")...)
				if jrc != want.Exit {
					t.Errorf("exit %d, want %d", jrc, want.Exit)
				}
				docs := jsonDocs(t, sc, jout.String())
				if len(docs) != 1 {
					t.Fatalf("%d documents", len(docs))
				}
				items, _ := docs[0]["groups"].([]any)
				_, text, _ := strings.Cut(want.Stdout, "---------------------\n")
				var got strings.Builder
				for _, it := range items {
					m := it.(map[string]any)
					group := jsonText(m["group"])
					if strings.HasPrefix(group, "::ffff:") && strings.Contains(group, ".") {
						group = strings.TrimPrefix(group, "::ffff:") // net-tools' dotted quad
					}
					fmt.Fprintf(&got, "%-15s %-6s %s\n", jsonText(m["interface"]), jsonText(m["users"]), group)
				}
				if diff := cmp.Diff(text, got.String()); diff != "" {
					t.Errorf("groups (-net-tools +json):\n%s", diff)
				}
				if docs[0]["kind"] == jsonfmt.KindGroups {
					_, rows := csvTable(t, cout.String())
					sameAsCSV(t, items, rows)
				}
			})
		}
	}
}

// TestMachineInterfaces runs the short -i command lines of the interface fixtures.
func TestMachineInterfaces(t *testing.T) {
	sc := machineSchema(t)
	argFiles, err := filepath.Glob(filepath.Join("testdata", "iface", "*", "want", "*.args"))
	if err != nil || len(argFiles) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	checked := 0
	for _, af := range argFiles {
		fixture := filepath.Dir(filepath.Dir(af))
		base := strings.TrimSuffix(af, ".args")
		args := strings.Fields(ifaceReadFile(t, af))
		cfg := parseIfaceArgs(t, args...)
		if cfg.Extend >= 2 {
			continue
		}
		wantExit, _ := strconv.Atoi(strings.TrimSpace(ifaceReadFile(t, base+".exit")))
		t.Run(filepath.Base(fixture)+"/netstat "+strings.Join(args, " "), func(t *testing.T) {
			run := func(format string) (string, int) {
				src := loadFakeIfaces(t, filepath.Join(fixture, "ioctl.json"))
				var out, errb bytes.Buffer
				e := ifaceEnv(os.DirFS(filepath.Join(fixture, "proc")), &out, &errb)
				e.ifaceSource = func() (netstat.IfaceSource, error) { return src, nil }
				rc := extRun(t, e, append(args, format)...)
				return out.String(), rc
			}
			jout, jrc := run("--json")
			cout, crc := run("--format=csv")
			if jrc != wantExit || crc != wantExit {
				t.Errorf("exit %d/%d, want %d", jrc, crc, wantExit)
			}
			docs := jsonDocs(t, sc, jout)
			var items []any
			if len(docs) == 1 {
				items = docs[0]["interfaces"].([]any)
			}
			_, rows := csvTable(t, cout)
			if len(docs) == 1 {
				if len(items) != len(rows) {
					t.Fatalf("%d JSON interfaces, %d CSV rows", len(items), len(rows))
				}
			}
			var text [][]string
			for _, l := range strings.Split(ifaceReadFile(t, base+".stdout"), "\n") {
				if l == "" || strings.HasPrefix(l, "Kernel Interface") || strings.HasPrefix(l, "Iface ") {
					continue
				}
				text = append(text, strings.Fields(l))
			}
			if len(text) != len(rows) {
				t.Fatalf("%d CSV rows, net-tools printed %d", len(rows), len(text))
			}
			for i, row := range rows {
				name := row["name"]
				if len(name) > 15 {
					name = name[:15]
				}
				want := text[i]
				got := []string{name, row["mtu"]}
				if row["rx_packets"] == "" {
					want = want[:2]
				} else {
					got = append(got, row["rx_packets"], row["rx_errors"], row["rx_dropped"], row["rx_fifo"],
						row["tx_packets"], row["tx_errors"], row["tx_dropped"], row["tx_fifo"])
					want = want[:10]
				}
				if name == "" {
					got = got[1:]
					want = text[i][:len(got)]
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("row %d (-net-tools +csv):\n%s", i, diff)
				}
			}
			checked++
		})
	}
	if checked < 3 {
		t.Errorf("only %d interface command lines checked", checked)
	}
}

// TestMachineStatistics checks -s: the schema, the sections net-tools shows (the
// titles of its report) and the CSV against the JSON.
func TestMachineStatistics(t *testing.T) {
	sc := machineSchema(t)
	cases, err := filepath.Glob("testdata/stats/*/proc")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, procDir := range cases {
		dir := filepath.Dir(procDir)
		for _, v := range statVariants() {
			if v.name == "s46" {
				continue
			}
			t.Run(filepath.Base(dir)+"/"+v.name, func(t *testing.T) {
				want := readStatCapture(t, dir, v.name)
				run := func(format string) string {
					var out, errb bytes.Buffer
					e := &env{stdout: bufio.NewWriter(&out), stderr: &errb, proc: os.DirFS(procDir), sleep: func(time.Duration) {}}
					if rc := extRun(t, e, append(strings.Fields(v.args), format)...); rc != want.exit {
						t.Errorf("%s exit %d, want %d", format, rc, want.exit)
					}
					if errb.String() != want.stderr {
						t.Errorf("%s stderr %q, want %q", format, errb.String(), want.stderr)
					}
					return out.String()
				}
				docs := jsonDocs(t, sc, run("--json"))
				if len(docs) != 1 {
					t.Fatalf("%d documents", len(docs))
				}
				var titles, textTitles []string
				var counters int
				for _, s := range docs[0]["sections"].([]any) {
					sec := s.(map[string]any)
					titles = append(titles, sec["title"].(string))
					counters += len(sec["counters"].(map[string]any))
				}
				for _, l := range strings.Split(want.stdout, "\n") {
					if strings.HasSuffix(l, ":") && !strings.HasPrefix(l, " ") {
						textTitles = append(textTitles, strings.TrimSuffix(l, ":"))
					}
				}
				if diff := cmp.Diff(textTitles, titles); diff != "" {
					t.Errorf("sections (-net-tools +json):\n%s", diff)
				}
				jout := run("--json")
				_, rows := csvTable(t, run("--format=csv"))
				ordered := orderedCounters(t, jout)
				if len(rows) != len(ordered) || len(rows) != counters {
					t.Fatalf("%d CSV rows, %d JSON counters", len(rows), len(ordered))
				}
				for i, r := range rows {
					if got := [3]string{r["section"], r["counter"], r["value"]}; got != ordered[i] {
						t.Errorf("counter %d: CSV %q, JSON %q", i, got, ordered[i])
					}
				}
			})
		}
	}
}

// orderedCounters reads a statistics document's counters in document order: title,
// name and value of each.
func orderedCounters(t *testing.T, doc string) [][3]string {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	var out [][3]string
	var title string
	depth, inCounters, next := 0, false, ""
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				depth++
			default:
				depth--
				if inCounters && v == '}' {
					inCounters = false
				}
			}
			if v == '{' && next == "counters" {
				inCounters = true
			}
			next = ""
		case string:
			switch {
			case inCounters:
				var n json.Number
				if err := d.Decode(&n); err != nil {
					t.Fatal(err)
				}
				out = append(out, [3]string{title, v, string(n)})
			case next == "title":
				title, next = v, ""
			case d.More() || depth > 0:
				if next == "" {
					next = v
				} else {
					next = ""
				}
			}
		default:
			next = ""
		}
	}
	return out
}

// TestMachineNotices checks that what net-tools prints on stdout besides its tables
// goes to stderr with machine output, and that the exit status is net-tools'.
func TestMachineNotices(t *testing.T) {
	sc := machineSchema(t)
	for _, tt := range []struct {
		name   string
		proc   map[string]string
		args   []string
		exit   int
		stderr string
		docs   int
	}{
		{"no route file", nil, []string{"-r"}, 1,
			"/proc/net/route: No such file or directory\nINET (IPv4) not configured in this system.\n", 1},
		{"no ipv6 route file", nil, []string{"-r", "-6"}, 1,
			"/proc/net/ipv6_route: No such file or directory\nINET6 (IPv6) not configured in this system.\n", 1},
		{"ax25", nil, []string{"-r", "-A", "ax25"}, 1,
			"/proc/net/ax25_route: No such file or directory\nAX.25 not configured in this system.\n", 1},
		{"statistics family", nil, []string{"-s", "-A", "unix"}, 1,
			"netstat: No statistics support for specified address family: unix\n", 0},
		{"no snmp", nil, []string{"-s"}, 0, "cannot open /proc/net/snmp: No such file or directory\n", 1},
		{"unknown cache layout", map[string]string{"net/rt_cache": "Iface\tDestination\n"}, []string{"-rC", "-n"}, 0,
			"ERROR: proc_guess_fmt(/proc/net/rt_cache,... returned: 0\n", 1},
	} {
		for _, format := range []string{"--json", "--format=csv"} {
			t.Run(tt.name+" "+format, func(t *testing.T) {
				var out, errb bytes.Buffer
				e := routeFixtureEnv(tt.proc, resolve.Numeric{}, &out, &errb)
				if rc := extRun(t, e, append(tt.args, format)...); rc != tt.exit {
					t.Errorf("exit %d, want %d", rc, tt.exit)
				}
				if errb.String() != tt.stderr {
					t.Errorf("stderr %q, want %q", errb.String(), tt.stderr)
				}
				if format == "--json" {
					if docs := jsonDocs(t, sc, out.String()); len(docs) != tt.docs {
						t.Errorf("%d documents, want %d: %q", len(docs), tt.docs, out.String())
					}
				} else if _, err := csv.NewReader(strings.NewReader(out.String())).ReadAll(); err != nil {
					t.Errorf("CSV: %v", err)
				}
			})
		}
	}
}

// TestWriteCounts checks the machine output of --count results.
func TestWriteCounts(t *testing.T) {
	sc := machineSchema(t)
	groups := []analysis.Group{{Keys: []string{"ESTABLISHED", "10.0.0.1"}, Count: 3}, {Keys: []string{"TIME_WAIT", "a,b"}, Count: 1}}
	for _, format := range []string{"json", "csv"} {
		var out bytes.Buffer
		e := &env{stdout: bufio.NewWriter(&out)}
		e.writeCounts(&Config{Ext: Extensions{Format: format}}, []string{"state", "raddr"}, groups, 5)
		e.stdout.Flush()
		if format == "json" {
			docs := jsonDocs(t, sc, out.String())
			if len(docs) != 1 || docs[0]["total"] != json.Number("5") {
				t.Errorf("counts document %s", out.String())
			}
			continue
		}
		want := "state,raddr,count\nESTABLISHED,10.0.0.1,3\nTIME_WAIT,\"a,b\",1\n"
		if out.String() != want {
			t.Errorf("CSV %q, want %q", out.String(), want)
		}
	}
}

// TestMachineListingKinds checks the document kind and arrays of listings without
// Internet sockets: groups alone, legacy families, unix with groups.
func TestMachineListingKinds(t *testing.T) {
	sc := machineSchema(t)
	dir := filepath.Join("testdata", "listing")
	for _, tt := range []struct {
		args   []string
		kind   string
		arrays []string
		exit   int
		csv    string // the CSV header's first field
	}{
		{[]string{"-A", "ipx"}, "sockets", nil, 1, ""},
		{[]string{"-g"}, "groups", []string{"groups"}, 1, "family"},
		{[]string{"-gx"}, "sockets", []string{"groups"}, 1, "family"}, // -g fails: no unix table
		{[]string{"-x"}, "sockets", []string{"unix"}, 0, "proto"},
		{[]string{"-gt"}, "sockets", []string{"inet", "groups"}, 1, "proto"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			if rc := extRun(t, fixtureEnv(dir, &out, &errb), append(tt.args, "--json")...); rc != tt.exit {
				t.Errorf("exit %d, want %d (stderr %q)", rc, tt.exit, errb.String())
			}
			docs := jsonDocs(t, sc, out.String())
			if len(docs) != 1 || docs[0]["kind"] != tt.kind {
				t.Fatalf("documents %v, want one of kind %s", docs, tt.kind)
			}
			var arrays []string
			for _, k := range []string{"inet", "groups", "unix"} {
				if _, ok := docs[0][k]; ok {
					arrays = append(arrays, k)
				}
			}
			if diff := cmp.Diff(tt.arrays, arrays); diff != "" {
				t.Errorf("arrays (-want +got):\n%s", diff)
			}
			out.Reset()
			extRun(t, fixtureEnv(dir, &out, &errb), append(tt.args, "--format=csv")...)
			header, _ := csvTable(t, out.String())
			if first := strings.Join(header[:min(1, len(header))], ""); first != tt.csv {
				t.Errorf("CSV header %q, want one starting with %q", header, tt.csv)
			}
		})
	}
}
