package top

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

func TestRefreshMarksNewChangedClosed(t *testing.T) {
	h := newHarness(t, snapA(), snapB(), snapC(), snapD())
	want := []string{
		" tcp 0.0.0.0:22 0.0.0.0:0",
		" tcp 10.0.0.1:22 10.0.0.9:50122",
		" tcp 10.0.0.1:6000 10.0.0.7:6001",
		" tcp 10.0.0.1:41000 192.0.2.80:443",
		" tcp 10.0.0.1:41002 10.0.0.2:5432",
		" udp 127.0.0.53:53 0.0.0.0:0",
		" tcp6 [::]:5432 [::]:0",
	}
	if diff := cmp.Diff(want, h.rowsShown()); diff != "" {
		t.Fatalf("first snapshot: nothing is new (-want +got):\n%s", diff)
	}
	h.refresh()
	want = []string{
		" tcp 0.0.0.0:22 0.0.0.0:0",
		" tcp 10.0.0.1:22 10.0.0.9:50122",
		"-tcp 10.0.0.1:6000 10.0.0.7:6001",
		" tcp 10.0.0.1:41000 192.0.2.80:443",
		"~tcp 10.0.0.1:41002 10.0.0.2:5432",
		"+tcp 10.0.0.1:41010 10.0.0.2:5432",
		" udp 127.0.0.53:53 0.0.0.0:0",
		" tcp6 [::]:5432 [::]:0",
	}
	if diff := cmp.Diff(want, h.rowsShown()); diff != "" {
		t.Fatalf("second snapshot (-want +got):\n%s", diff)
	}
	h.refresh()
	want = []string{
		" tcp 0.0.0.0:22 0.0.0.0:0",
		" tcp 10.0.0.1:22 10.0.0.9:50122",
		"-tcp 10.0.0.1:6000 10.0.0.7:6001",
		" tcp 10.0.0.1:41000 192.0.2.80:443",
		"~tcp 10.0.0.1:41002 10.0.0.2:5432",
		"+tcp 10.0.0.1:41010 10.0.0.2:5432",
		" udp 127.0.0.53:53 0.0.0.0:0",
		" tcp6 [::]:5432 [::]:0",
	}
	if diff := cmp.Diff(want, h.rowsShown()); diff != "" {
		t.Fatalf("third snapshot: the closed row stays a second refresh, the new and changed ones stay marked (-want +got):\n%s", diff)
	}
	h.refresh()
	want = []string{
		" tcp 0.0.0.0:22 0.0.0.0:0",
		" tcp 10.0.0.1:22 10.0.0.9:50122",
		" tcp 10.0.0.1:41000 192.0.2.80:443",
		" tcp 10.0.0.1:41002 10.0.0.2:5432",
		" tcp 10.0.0.1:41010 10.0.0.2:5432",
		" udp 127.0.0.53:53 0.0.0.0:0",
		" tcp6 [::]:5432 [::]:0",
	}
	if diff := cmp.Diff(want, h.rowsShown()); diff != "" {
		t.Fatalf("fourth snapshot: the closed row gone, no marks left (-want +got):\n%s", diff)
	}
	if h.ticks != 4 {
		t.Errorf("%d refreshes scheduled, want one per snapshot (4)", h.ticks)
	}
}

func TestRatesFromTCPInfoDeltas(t *testing.T) {
	h := newHarness(t, snapA(), snapB())
	h.refresh()
	r, ok := h.m.rowByKey(keyOf("10.0.0.1:22", "10.0.0.9:50122"))
	if !ok {
		t.Fatal("ssh connection not found")
	}
	// One second apart: 4096 bytes acked, 512 received.
	if tx, rx := h.m.rate(float64(r.tx)), h.m.rate(float64(r.rx)); !r.hasRate() || tx != 4096 || rx != 512 {
		t.Errorf("rates = %v/%v (known %v), want 4096/512", tx, rx, r.hasRate())
	}
	if got := h.m.cell(r, colTx); got != "4.0K" {
		t.Errorf("Send/s cell = %q, want 4.0K", got)
	}
	n, _ := h.m.rowByKey(keyOf("10.0.0.1:41010", "10.0.0.2:5432"))
	if n.hasRate() {
		t.Error("a new connection has a rate before its second sample")
	}
}

func ptr[T any](v T) *T { return &v }

func TestStaleSnapshotsAreDropped(t *testing.T) {
	h := newHarness(t, snapA())
	stale := h.m.token
	// A refresh starts, then the user pauses and resumes: the first reply is stale.
	h.send(keyPress("p"))
	if !h.m.paused {
		t.Fatal("p did not pause")
	}
	late := snapB()
	h.send(chunkMsg{token: stale, recs: ptr(records(late)), done: true, taken: late.Taken})
	if len(h.rowsShown()) != 7 || h.m.taken != t0 {
		t.Fatal("a reply that arrived while paused was applied")
	}
	_, cmd := h.m.Update(keyPress("space"))
	if h.m.paused {
		t.Fatal("space did not resume")
	}
	if h.m.token == stale {
		t.Fatal("resuming did not start a new request")
	}
	h.send(chunkMsg{token: stale, recs: ptr(records(late)), done: true, taken: late.Taken})
	if h.m.taken != t0 {
		t.Fatal("a reply to an older request was applied")
	}
	h.run(cmd) // the current request's reply is applied
	if h.m.taken.IsZero() || h.m.token == stale {
		t.Fatal("the current reply was not applied")
	}
	// A tick from a cancelled timer starts nothing.
	before := len(h.fake.Queries)
	h.send(tickMsg{gen: h.m.tickGen - 1})
	if len(h.fake.Queries) != before {
		t.Error("a stale tick took a snapshot")
	}
}

func TestQueryAsksForTCPInfoAndOwnersApart(t *testing.T) {
	h := newHarness(t, snapA())
	q := h.fake.Queries[0]
	if q.Extras&source.WithTCPInfo == 0 {
		t.Errorf("query extras %b lack tcp_info", q.Extras)
	}
	// Owners come from the incremental finder, not from a scan of every process
	// with each stream; timers and cgroups from the details of one socket.
	if q.Extras&(source.WithOwners|source.WithTimers|source.WithCgroup) != 0 {
		t.Errorf("the refresh query asks for extras %b", q.Extras)
	}
	if len(h.owners.calls) != 1 || len(h.owners.calls[0]) != 6 {
		t.Errorf("owner look-ups %v, want one for the 6 distinct inodes", h.owners.calls)
	}
}

func TestSnapshotErrorIsShownAndRetried(t *testing.T) {
	h := newHarness(t, snapA())
	h.fake.Err = errors.New("netlink: boom")
	h.refresh()
	if !strings.Contains(h.m.render(), "error: netlink: boom") {
		t.Error("the error is not on screen")
	}
	if len(h.rowsShown()) != 7 {
		t.Error("the last good rows were dropped on an error")
	}
	h.fake.Err = nil
	h.refresh()
	if strings.Contains(h.m.render(), "error:") {
		t.Error("the error stayed after a good snapshot")
	}
}

func TestSortKeysAndHeaderClick(t *testing.T) {
	h := newHarness(t, snapA(), snapB())
	h.refresh()
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	first := func() string { return h.rowsShown()[0] }
	// Click the Send/s header: biggest sender first.
	var x int
	for _, p := range layout(120) {
		if p.col == colTx {
			x = p.x + 1
		}
	}
	h.send(tea.MouseClickMsg{X: x, Y: headerLine, Button: tea.MouseLeft})
	if h.m.sortCol != colTx || !h.m.sortDesc {
		t.Fatalf("header click: sort %v desc=%v, want Send/s descending", h.m.sortCol, h.m.sortDesc)
	}
	if got := first(); got != " tcp 10.0.0.1:22 10.0.0.9:50122" {
		t.Errorf("biggest sender first: got %q", got)
	}
	h.send(tea.MouseClickMsg{X: x, Y: headerLine, Button: tea.MouseLeft})
	if h.m.sortDesc {
		t.Error("a second click did not reverse the order")
	}
	h.keys(">") // Recv/s
	if h.m.sortCol != colRx || first() != " tcp 10.0.0.1:41000 192.0.2.80:443" {
		t.Errorf("> sorts by Recv/s: col %v, first %q", h.m.sortCol, first())
	}
	h.keys("r")
	if h.m.sortDesc {
		t.Error("r did not reverse")
	}
	h.keys("<", "<", "<", "<", "<", "<") // State
	if h.m.sortCol != colState {
		t.Fatalf("< moved to column %v, want State", h.m.sortCol)
	}
	if got := h.rowsShown()[1]; !strings.HasPrefix(got, "~tcp 10.0.0.1:41002") {
		t.Errorf("state order (no state, then CLOSE_WAIT): got %q", got)
	}
}

func TestFilterExpressionWordsAndEsc(t *testing.T) {
	h := newHarness(t, snapA())
	h.keys("/")
	h.typeText("dport = :5432 or sport = :5432")
	if !h.m.editing || h.m.filter.expr == nil {
		t.Fatalf("the filter language was not recognised: %+v", h.m.filter)
	}
	want := []string{" tcp 10.0.0.1:41002 10.0.0.2:5432", " tcp6 [::]:5432 [::]:0"}
	if diff := cmp.Diff(want, h.rowsShown()); diff != "" {
		t.Errorf("expression filter (-want +got):\n%s", diff)
	}
	h.keys("enter")
	if h.m.editing {
		t.Error("enter did not end editing")
	}
	h.keys("esc")
	if len(h.rowsShown()) != 7 || h.m.filterText != "" {
		t.Error("esc did not clear the filter")
	}
	// Plain words, fzf-style: "crl" finds curl, "estab 443" narrows by state and port.
	h.keys("/")
	h.typeText("crl")
	if got := h.rowsShown(); len(got) != 1 || !strings.Contains(got[0], "192.0.2.80:443") {
		t.Errorf("words 'crl': %q", got)
	}
	h.keys("backspace", "backspace", "backspace")
	h.typeText("estab 22")
	if got := h.rowsShown(); len(got) != 1 || !strings.Contains(got[0], "10.0.0.1:22 ") {
		t.Errorf("words 'estab 22': %q", got)
	}
	h.keys("esc")
	if h.m.editing || len(h.rowsShown()) != 7 {
		t.Error("esc while typing did not clear and close the filter")
	}
	// A broken expression says why and falls back to words.
	h.keys("/")
	h.typeText("dport = :nope")
	if h.m.filterErr == "" {
		t.Error("no message for a broken expression")
	}
}

func TestGroupCycleExpandAndTotals(t *testing.T) {
	h := newHarness(t, snapA(), snapB())
	h.refresh()
	h.keys("g")
	if h.m.groupBy != groupProcess {
		t.Fatalf("g: group %v", h.m.groupBy)
	}
	var names []string
	for _, g := range h.m.groups {
		names = append(names, fmt.Sprintf("%s:%d", g.name, len(g.rows)))
	}
	want := []string{"postgres:2", "sshd:2", "(no process):1", "curl:1", `evil\x1b]0;pwned\x07\x1b[2J:1`, "systemd-resolve:1"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("process groups, biggest first (-want +got):\n%s", diff)
	}
	if len(h.rowsShown()) != 0 {
		t.Error("groups start folded")
	}
	h.keys("down", "enter")
	if got := h.rowsShown(); len(got) != 2 || !strings.Contains(got[0], ":22 ") {
		t.Errorf("enter expands sshd: %q", got)
	}
	if g := h.m.groups[1]; g.tx != 4096 || g.rx != 512 {
		t.Errorf("sshd totals %v/%v, want 4096/512", g.tx, g.rx)
	}
	h.refresh()
	if got := h.rowsShown(); len(got) != 2 {
		t.Errorf("the expanded group folded on refresh: %q", got)
	}
	for _, want := range []groupMode{groupState, groupRemote, groupLocalPort, groupNone} {
		h.keys("g")
		if h.m.groupBy != want {
			t.Fatalf("g cycles to %v, want %v", h.m.groupBy, want)
		}
	}
	if len(h.rowsShown()) != 8 {
		t.Error("ungrouped again: not every row back")
	}
}

func TestDetailsAndHelp(t *testing.T) {
	h := newHarness(t, snapA())
	h.keys("down", "enter")
	if h.m.mode != modeDetails {
		t.Fatal("enter on a socket did not open its details")
	}
	screen := h.m.render()
	for _, want := range []string{"10.0.0.1:22", "sshd: alice@pts/0", "strace -f -p 4242 -e trace=network", "ss -tin dst 10.0.0.9:50122", "congestion cubic"} {
		if !strings.Contains(screen, want) {
			t.Errorf("details lack %q:\n%s", want, screen)
		}
	}
	h.keys("esc", "?")
	if h.m.mode != modeHelp {
		t.Fatal("? did not open the help")
	}
	screen = h.m.render()
	for _, b := range h.m.keys.all() {
		if !strings.Contains(screen, b.Help().Desc) {
			t.Errorf("help lacks %q", b.Help().Desc)
		}
	}
	h.keys("x")
	if h.m.mode != modeTable {
		t.Error("a key did not close the help")
	}
	h.keys("q")
	if !h.quit {
		t.Error("q did not quit")
	}
}

func TestCloseAsksThenDestroys(t *testing.T) {
	h := newHarness(t, snapA())
	h.keys("down", "x") // the ssh connection
	if h.m.mode != modeConfirm || !strings.Contains(h.m.render(), "Close tcp 10.0.0.1:22 -> 10.0.0.9:50122 (ESTABLISHED)? [y/N]") {
		t.Fatalf("x did not ask:\n%s", h.m.render())
	}
	h.keys("n")
	if len(h.fake.Destroyed) != 0 || h.m.status != "nothing closed" {
		t.Fatalf("n closed something or said nothing: %v %q", h.fake.Destroyed, h.m.status)
	}
	queries := len(h.fake.Queries)
	h.keys("x", "y")
	if len(h.fake.Destroyed) != 1 || h.fake.Destroyed[0].Cookie != 101*7 {
		t.Fatalf("y did not close the selected connection: %+v", h.fake.Destroyed)
	}
	if !strings.HasPrefix(h.m.status, "closed tcp 10.0.0.1:22 -> 10.0.0.9:50122") {
		t.Errorf("status %q", h.m.status)
	}
	if len(h.fake.Queries) != queries+1 {
		t.Error("no refresh after closing")
	}
}

func TestCloseRefusalsAndKernelErrors(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		keys   []string
		status string
	}{
		{"udp", nil, []string{"G", "x"}, "only TCP connections can be closed"},
		{"no destroy support", fmt.Errorf("sock_diag: %w", source.ErrDestroyUnsupported), []string{"down", "x", "y"},
			"not closed: tcp 10.0.0.1:22 -> 10.0.0.9:50122: sock_diag: the kernel cannot close sockets (built without CONFIG_INET_DIAG_DESTROY)"},
		{"not root", fmt.Errorf("sock_diag: %w", source.ErrPermission), []string{"down", "x", "y"},
			"not closed: tcp 10.0.0.1:22 -> 10.0.0.9:50122: sock_diag: closing a socket needs CAP_NET_ADMIN (run as root)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, snapA())
			h.m.sortCol = colProto
			h.m.rebuild()
			h.fake.DestroyErr = tt.err
			h.keys(tt.keys...)
			if h.m.status != tt.status {
				t.Errorf("status %q\nwant   %q", h.m.status, tt.status)
			}
			if len(h.fake.Destroyed) != 0 {
				t.Error("something was closed")
			}
		})
	}
}

func TestNamesToggleResolvesInBackground(t *testing.T) {
	h := newHarness(t, snapA())
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	if strings.Contains(h.m.render(), "www.example") {
		t.Fatal("names shown while off")
	}
	h.keys("n")
	screen := h.m.render()
	for _, want := range []string{"www.example:https", "xample:postgresql", "10.0.0.1:ssh"} {
		if !strings.Contains(screen, want) {
			t.Errorf("with names, screen lacks %q:\n%s", want, screen)
		}
	}
	h.keys("n")
	if !strings.Contains(h.m.render(), "192.0.2.80:443") {
		t.Error("n did not turn names off")
	}
}

func TestResizeKeepsScreenInBounds(t *testing.T) {
	h := newHarness(t, snapA(), snapB())
	h.refresh()
	for _, sz := range [][2]int{{80, 24}, {40, 10}, {200, 50}, {20, 4}} {
		h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		for _, mode := range []string{"table", "details", "help"} {
			switch mode {
			case "details":
				h.keys("enter")
			case "help":
				h.keys("?")
			}
			lines := strings.Split(h.m.render(), "\n")
			if len(lines) != sz[1] {
				t.Errorf("%dx%d %s: %d lines", sz[0], sz[1], mode, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Errorf("%dx%d %s: line %d is %d wide", sz[0], sz[1], mode, i, w)
				}
			}
			h.keys("esc")
		}
	}
}

func TestCursorFollowsSocketAcrossRefresh(t *testing.T) {
	h := newHarness(t, snapA(), snapB())
	h.keys("down", "down", "down") // 10.0.0.1:41000
	want, _ := h.m.current()
	key := want.key()
	h.refresh() // a closed row and a new row appear around it
	got, ok := h.m.current()
	if !ok || got.key() != key {
		t.Errorf("cursor moved off the selected socket to %+v", got)
	}
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	h.send(tea.MouseClickMsg{X: 10, Y: firstRowLine, Button: tea.MouseLeft})
	if h.m.cursor != h.m.top {
		t.Error("a click on a row did not select it")
	}
}

func TestNoEscapeFromKernelTextReachesScreen(t *testing.T) {
	h := newHarness(t, snapA())
	for _, k := range [][]string{nil, {"g"}, {"g", "down", "down", "down", "down", "enter", "down", "enter"}} {
		h.keys(k...)
		if s := h.m.render(); strings.ContainsAny(s, "\x1b\x07") {
			t.Errorf("after %v the screen holds an escape:\n%q", k, s)
		}
	}
	// The details of the evil process too.
	h2 := newHarness(t, snapA())
	h2.m.detail = keyOf("10.0.0.1:6000", "10.0.0.7:6001")
	h2.m.mode = modeDetails
	if s := h2.m.render(); strings.ContainsAny(s, "\x1b\x07") || !strings.Contains(s, `evil\x1b[31m`) {
		t.Errorf("details of a hostile name:\n%q", s)
	}
}

func TestColorAndMarkers(t *testing.T) {
	h := newHarness(t, snapA(), snapB())
	h.refresh()
	h.m.cfg.Color = true
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	s := h.m.render()
	if !strings.Contains(s, "\x1b[") {
		t.Fatal("no colour with Color on")
	}
	plain := ansi.Strip(s)
	for _, want := range []string{"+ tcp   10.0.0.1:41010", "~ tcp   10.0.0.1:41002", "- tcp   10.0.0.1:6000"} {
		if !strings.Contains(plain, want) {
			t.Errorf("marker row %q missing:\n%s", want, plain)
		}
	}
	h.m.cfg.Color = false
	if strings.Contains(h.m.render(), "\x1b") {
		t.Error("colour with Color off (NO_COLOR)")
	}
}

func TestFuzzyAndLayout(t *testing.T) {
	for _, tt := range []struct {
		w, s string
		ok   bool
	}{{"crl", "curl", true}, {"lcr", "curl", false}, {"ssh", "SSHD", true}, {"", "x", true}} {
		if got := fuzzy(tt.w, tt.s); got != tt.ok {
			t.Errorf("fuzzy(%q, %q) = %v", tt.w, tt.s, got)
		}
	}
	for _, w := range []int{20, 80, 120, 300} {
		cols := layout(w)
		last := cols[len(cols)-1]
		if end := last.x + last.w; end > w {
			t.Errorf("layout(%d) ends at %d", w, end)
		}
	}
	if n := len(layout(120)); n != int(numColumns) {
		t.Errorf("120 columns show %d of %d columns", n, numColumns)
	}
}

func TestOwnersLookedUpOnlyForNewInodesAtMostOncePerSecond(t *testing.T) {
	at := func(d time.Duration, extra ...netstat.Socket) *netstat.Snapshot {
		s := snapA()
		s.Taken = t0.Add(d)
		s.Inet = append(s.Inet, extra...)
		return s
	}
	newConn := tcp("10.0.0.1:41111", "10.0.0.3:80", netstat.Established, 200)
	h := newHarness(t, snapA(), // every inode looked up at 0 s
		at(500*time.Millisecond, newConn),  // a new inode, but only 0.5 s after
		at(1200*time.Millisecond, newConn), // still unknown, 1.2 s after: look it up
		at(2*time.Second, newConn),         // nothing new
		at(3*time.Second))                  // one gone, nothing new
	h.owners.byInode[200] = owners[102]
	for range 4 {
		h.refresh()
	}
	want := [][]uint64{{100, 101, 102, 103, 104, 105}, {200}}
	if diff := cmp.Diff(want, h.owners.calls); diff != "" {
		t.Errorf("owner look-ups (-want +got):\n%s", diff)
	}
	if r, ok := h.m.rowByKey(keyOf("10.0.0.1:22", "10.0.0.9:50122")); !ok || len(h.m.owners(r)) != 2 {
		t.Error("owners of the first look-up are not kept for later refreshes")
	}
	if r, ok := h.m.rowByKey(keyOf("10.0.0.1:41111", "10.0.0.3:80")); !ok || h.m.cell(r, colProg) != "3001/curl" {
		t.Error("the new socket's owner is not shown after its look-up")
	}
}

func TestCloseQuestionOutlivedByTheConnection(t *testing.T) {
	h := newHarness(t, snapA(), snapB())
	h.m.sortCol = colProto
	h.m.rebuild()
	// The cursor on 10.0.0.1:6000, which snapB no longer has.
	for r, ok := h.m.current(); ok && r.lport != 6000; r, ok = h.m.current() {
		h.keys("down")
	}
	h.keys("x")
	if h.m.mode != modeConfirm {
		t.Fatal("x did not ask")
	}
	h.refresh()
	if !strings.Contains(h.m.render(), "Close tcp 10.0.0.1:6000 -> 10.0.0.7:6001") {
		t.Error("the question went away with a refresh")
	}
	h.keys("y")
	if len(h.fake.Destroyed) != 0 || h.m.status != "the connection has gone already" {
		t.Errorf("closed %v, status %q", h.fake.Destroyed, h.m.status)
	}
}
