package top

import (
	"cmp"
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/termsafe"
	"github.com/netstat-go/netstat/netstat"
)

// closedRefreshes is how many refreshes a closed socket stays on screen.
const closedRefreshes = 2

// markedRefreshes is how many refreshes a new socket, or one whose state changed,
// stays marked (unless it changes again): one refresh is a blink at short intervals,
// easy to miss for a person and for a screen scraper.
const markedRefreshes = 2

// Init starts the first snapshot.
func (m *Model) Init() tea.Cmd {
	return m.fetch()
}

// fetch asks for a snapshot under a new token: replies to earlier requests are stale
// from now on.
func (m *Model) fetch() tea.Cmd {
	m.token++
	q := m.cfg.Query
	if m.needOwners {
		q.Extras |= source.WithOwners
	}
	return fetchCmd(m.ctx, m.cfg.Source, q, m.cfg.Timeout, m.token)
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.scrollTo(m.cursor)
		return m, m.resolveVisible()
	case snapshotMsg:
		return m, m.onSnapshot(msg)
	case tickMsg:
		if msg.gen != m.tickGen || m.paused {
			return m, nil
		}
		return m, m.fetch()
	case namesMsg:
		m.resolving = false
		m.names.merge(msg.names)
		if m.groupBy == groupRemote {
			m.rebuild()
		}
		return m, m.resolveVisible()
	case destroyedMsg:
		return m, m.onDestroyed(msg)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.MouseClickMsg:
		return m, m.onClick(msg.Mouse())
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			m.move(-3)
		case tea.MouseWheelDown:
			m.move(3)
		}
		return m, m.resolveVisible()
	}
	return m, nil
}

// onSnapshot applies a snapshot reply: stale ones are dropped, the rows are diffed
// against the previous refresh, and the next refresh is scheduled.
func (m *Model) onSnapshot(msg snapshotMsg) tea.Cmd {
	if msg.token != m.token || m.paused {
		return nil
	}
	m.tickGen++
	next := tick(m.cfg.Interval, m.tickGen)
	if msg.err != nil {
		m.err = msg.err
		return next
	}
	m.err = nil
	m.apply(msg.snap)
	return tea.Batch(next, m.resolveVisible())
}

// apply diffs snap against the rows on screen: new sockets are marked new (except in
// the first snapshot), sockets whose state changed are marked changed, and sockets
// that went away stay marked closed for closedRefreshes refreshes. TCP rates are the
// byte-counter deltas over the time between the two snapshots.
func (m *Model) apply(snap *netstat.Snapshot) {
	m.updateOwners(snap)
	dt := snap.Taken.Sub(m.taken).Seconds()
	// The rows and the index of the refresh before last are reused: at 200,000
	// sockets they are tens of megabytes.
	rows := m.spareRows[:0]
	if want := len(snap.Inet) + len(m.rows)/8; cap(rows) < want {
		rows = make([]row, 0, want)
	}
	byKey := m.spareByKey
	if byKey == nil {
		byKey = make(keyIndex, len(snap.Inet))
	}
	clear(byKey)
	seen := make([]bool, len(m.rows)) // old rows still present
	m.counts = [4]int{}
	for i := range snap.Inet {
		s := &snap.Inet[i]
		k := s.Key()
		r := row{sock: s}
		if s.Inode != 0 {
			r.owners = m.owners[s.Inode]
		}
		if j, ok := m.byKey.find(m.rows, k); ok && m.rows[j].mark != markClosed {
			seen[j] = true
			old := &m.rows[j]
			switch {
			case old.sock.State != s.State:
				r.mark = markChanged
			case (old.mark == markNew || old.mark == markChanged) && old.age+1 < markedRefreshes:
				r.mark, r.age = old.mark, old.age+1
			}
			if a, b := old.sock.Info, s.Info; a != nil && b != nil && dt > 0 && s.Remote.Port() != 0 &&
				b.BytesAcked >= a.BytesAcked && b.BytesReceived >= a.BytesReceived {
				r.tx = float64(b.BytesAcked-a.BytesAcked) / dt
				r.rx = float64(b.BytesReceived-a.BytesReceived) / dt
				r.hasRate = true
			}
		} else if m.loaded {
			r.mark = markNew
		}
		m.counts[r.mark]++
		byKey[keyHash(k)] = int32(len(rows))
		rows = append(rows, r)
	}
	for i := range m.rows {
		old := m.rows[i]
		if seen[i] {
			continue
		}
		if old.mark == markClosed {
			if old.age >= closedRefreshes {
				continue
			}
			old.age++
		} else {
			old.mark, old.age = markClosed, 1
			old.hasRate = false
			c := *old.sock
			old.sock = &c
		}
		k := old.sock.Key()
		if _, dup := byKey.find(rows, k); dup {
			continue // it came back: the live row wins
		}
		m.counts[markClosed]++
		byKey[keyHash(k)] = int32(len(rows))
		rows = append(rows, old)
	}
	clear(m.rows) // drop the references the spare rows hold
	m.spareRows, m.spareByKey = m.rows, m.byKey
	m.rows, m.byKey, m.taken, m.partial, m.loaded = rows, byKey, snap.Taken, snap.Partial, true
	m.rebuild()
}

// ownerScanInterval is the shortest time between two owner scans.
const ownerScanInterval = time.Second

// updateOwners keeps the owners of a snapshot that has them, and decides whether the
// next one needs them: only when a socket has appeared since the last scan, and not
// before ownerScanInterval has passed.
func (m *Model) updateOwners(snap *netstat.Snapshot) {
	if snap.Owners != nil {
		m.owners = snap.Owners
		m.scanned = make(map[uint64]struct{}, len(snap.Inet))
		for i := range snap.Inet {
			m.scanned[snap.Inet[i].Inode] = struct{}{}
		}
		m.ownersAt = snap.Taken
		m.needOwners = false
		return
	}
	if snap.Taken.Sub(m.ownersAt) < ownerScanInterval {
		return
	}
	for i := range snap.Inet {
		if ino := snap.Inet[i].Inode; ino != 0 {
			if _, ok := m.scanned[ino]; !ok {
				m.needOwners = true
				return
			}
		}
	}
}

// rebuild recomputes what the table shows: filter, sort, group, then the lines. It is
// O(n log n) in the rows and runs only when the rows or the choices change.
func (m *Model) rebuild() {
	idx := make([]int, 0, len(m.rows))
	for i := range m.rows {
		if m.matches(&m.rows[i]) {
			idx = append(idx, i)
		}
	}
	m.shown = len(idx)
	// pdqsort under a total order (the column, then the socket key): as
	// deterministic as a stable sort, without its O(n log² n) moves.
	slices.SortFunc(idx, func(a, b int) int {
		ra, rb := &m.rows[a], &m.rows[b]
		c := m.compare(ra, rb, m.sortCol)
		if c == 0 {
			c = compareKeys(ra.sock, rb.sock)
		}
		if m.sortDesc {
			return -c
		}
		return c
	})
	m.lines = m.lines[:0]
	m.groups = m.groups[:0]
	if m.groupBy == groupNone {
		for _, i := range idx {
			m.lines = append(m.lines, line{row: i, group: -1})
		}
	} else {
		at := map[string]int{}
		for _, i := range idx {
			r := &m.rows[i]
			k := m.groupKey(r)
			g, ok := at[k]
			if !ok {
				g = len(m.groups)
				at[k] = g
				m.groups = append(m.groups, group{name: k, expanded: m.expanded[k]})
			}
			gr := &m.groups[g]
			gr.rows = append(gr.rows, i)
			gr.tx += r.tx
			gr.rx += r.rx
			gr.recvQ += r.sock.RecvQ
			gr.sendQ += r.sock.SendQ
		}
		slices.SortStableFunc(m.groups, func(a, b group) int {
			if c := cmp.Compare(len(b.rows), len(a.rows)); c != 0 {
				return c
			}
			return strings.Compare(a.name, b.name)
		})
		for g := range m.groups {
			m.lines = append(m.lines, line{row: -1, group: g})
			if m.groups[g].expanded {
				for _, i := range m.groups[g].rows {
					m.lines = append(m.lines, line{row: i, group: g})
				}
			}
		}
	}
	m.cursor = m.findSelected()
	m.scrollTo(m.cursor)
}

// findSelected is the line of the socket that was under the cursor, or the nearest
// line to where the cursor was when it has gone.
func (m *Model) findSelected() int {
	if m.selected != (netstat.SocketKey{}) {
		if i, ok := m.byKey.find(m.rows, m.selected); ok {
			for l, ln := range m.lines {
				if ln.row == i {
					return l
				}
			}
		}
	}
	return min(m.cursor, max(len(m.lines)-1, 0))
}

// groupKey is the group a row belongs to under m.groupBy.
func (m *Model) groupKey(r *row) string {
	switch m.groupBy {
	case groupProcess:
		if len(r.owners) == 0 {
			return "(no process)"
		}
		return termsafe.Sanitize(r.owners[0].Name)
	case groupState:
		if st := stateText(r.sock); st != "" {
			return st
		}
		return "(none)"
	case groupRemote:
		a := r.sock.Remote.Addr()
		if !a.IsValid() || a.IsUnspecified() {
			return "*"
		}
		return m.hostText(a)
	case groupLocalPort:
		return svcProto(r.sock.Proto) + " " + strconv.Itoa(int(r.sock.Local.Port()))
	}
	return ""
}

// compare orders two rows by column c.
func (m *Model) compare(a, b *row, c column) int {
	sa, sb := a.sock, b.sock
	switch c {
	case colProto:
		if x := cmp.Compare(sa.Proto, sb.Proto); x != 0 {
			return x
		}
		return cmp.Compare(sa.Family, sb.Family)
	case colLocal:
		return compareAddrPort(sa.Local, sb.Local)
	case colRemote:
		return compareAddrPort(sa.Remote, sb.Remote)
	case colState:
		return strings.Compare(stateText(sa), stateText(sb))
	case colProg:
		return strings.Compare(progName(a), progName(b))
	case colUser:
		return cmp.Compare(sa.UID, sb.UID)
	case colRecvQ:
		return cmp.Compare(sa.RecvQ, sb.RecvQ)
	case colSendQ:
		return cmp.Compare(sa.SendQ, sb.SendQ)
	case colTx:
		return cmp.Compare(a.tx, b.tx)
	case colRx:
		return cmp.Compare(a.rx, b.rx)
	case colRTT:
		return cmp.Compare(rtt(sa), rtt(sb))
	}
	return 0
}

// compareKeys orders sockets by local then remote endpoint, protocol, family and
// the rest of the key.
func compareKeys(a, b *netstat.Socket) int {
	if c := compareAddrPort(a.Local, b.Local); c != 0 {
		return c
	}
	if c := compareAddrPort(a.Remote, b.Remote); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Proto, b.Proto); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Family, b.Family); c != 0 {
		return c
	}
	return cmp.Compare(a.Key().ID, b.Key().ID)
}

func compareAddrPort(a, b netip.AddrPort) int {
	if c := a.Addr().Unmap().Compare(b.Addr().Unmap()); c != 0 {
		return c
	}
	return cmp.Compare(a.Port(), b.Port())
}

func progName(r *row) string {
	if len(r.owners) == 0 {
		return ""
	}
	return r.owners[0].Name
}

func rtt(s *netstat.Socket) int64 {
	if s.Info == nil {
		return -1
	}
	return int64(s.Info.RTT)
}

// matches reports whether a row passes the `/` filter.
func (m *Model) matches(r *row) bool {
	f := m.filter
	if f.expr != nil {
		return f.expr.Match(r.sock)
	}
	if len(f.words) == 0 {
		return true
	}
	// Names and states match fzf-style (letters in order); numbers (addresses,
	// ports, PIDs) match as substrings, where a scattered match means nothing.
	names := []string{protoText(r.sock), stateText(r.sock)}
	numbers := []string{m.endpointText(r.sock.Local, r.sock.Proto), m.endpointText(r.sock.Remote, r.sock.Proto)}
	for _, p := range r.owners {
		names = append(names, p.Name)
		numbers = append(numbers, strconv.Itoa(p.PID))
	}
words:
	for _, w := range f.words {
		for _, n := range names {
			if fuzzy(w, n) {
				continue words
			}
		}
		for _, n := range numbers {
			if strings.Contains(strings.ToLower(n), w) {
				continue words
			}
		}
		return false
	}
	return true
}

// fuzzy reports whether the letters of word appear in s in order (fzf's basic match),
// ignoring case.
func fuzzy(word, s string) bool {
	s = strings.ToLower(s)
	for _, r := range word {
		i := strings.IndexRune(s, r)
		if i < 0 {
			return false
		}
		s = s[i+len(string(r)):]
	}
	return true
}

// compileFilter turns the text typed after `/` into a filter: the --filter language
// when it parses, otherwise plain words.
func compileFilter(text string) (rowFilter, string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return rowFilter{}, ""
	}
	expr, err := analysis.ParseFilter(text, analysis.ParseOptions{})
	if err == nil {
		return rowFilter{expr: expr}, ""
	}
	var se *analysis.SyntaxError
	if errors.As(err, &se) && looksLikeExpr(text) {
		// Meant as an expression but wrong: say why, and match the words meanwhile.
		return rowFilter{words: strings.Fields(strings.ToLower(text))}, err.Error()
	}
	return rowFilter{words: strings.Fields(strings.ToLower(text))}, ""
}

// looksLikeExpr reports whether text starts with a word of the filter language.
func looksLikeExpr(text string) bool {
	first, _, _ := strings.Cut(text, " ")
	switch strings.TrimLeft(strings.ToLower(first), "(!") {
	case "src", "dst", "sport", "dport", "state", "exclude", "excl", "not":
		return true
	}
	return false
}

// onKey handles a key press in the current mode.
func (m *Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	k := m.keys
	if msg.String() == "ctrl+c" {
		return m, tea.Quit
	}
	switch m.mode {
	case modeConfirm:
		m.mode = modeTable
		if msg.String() == "y" || msg.String() == "Y" {
			r, ok := m.rowByKey(m.confirm)
			if !ok || r.mark == markClosed {
				m.status = "the connection has gone already"
				return m, nil
			}
			m.status = "closing " + m.describe(r) + " ..."
			return m, destroyCmd(m.ctx, m.cfg.Destroyer, *r.sock, m.cfg.Timeout)
		}
		m.status = "nothing closed"
		return m, nil
	case modeHelp: // any key returns; q still quits
		if key.Matches(msg, k.Quit) {
			return m, tea.Quit
		}
		m.mode = modeTable
		return m, nil
	case modeDetails:
		switch {
		case key.Matches(msg, k.Quit):
			return m, tea.Quit
		case key.Matches(msg, k.Up):
			m.detailTop = max(m.detailTop-1, 0)
		case key.Matches(msg, k.Down):
			m.detailTop++
		case key.Matches(msg, k.Close):
			return m, m.askClose()
		case key.Matches(msg, k.Clear, k.Enter):
			m.mode = modeTable
		case key.Matches(msg, k.Help):
			m.mode = modeHelp
		}
		return m, nil
	}
	if m.editing {
		return m, m.onFilterKey(msg)
	}
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-m.pageSize())
	case key.Matches(msg, k.PageDown):
		m.move(m.pageSize())
	case key.Matches(msg, k.Home):
		m.move(-len(m.lines))
	case key.Matches(msg, k.End):
		m.move(len(m.lines))
	case key.Matches(msg, k.Pause):
		m.paused = !m.paused
		m.tickGen++
		if m.paused {
			m.token++ // a snapshot on its way is not shown
			return m, nil
		}
		return m, m.fetch()
	case key.Matches(msg, k.SortNext):
		m.setSort((m.sortCol+1)%numColumns, false)
	case key.Matches(msg, k.SortPrev):
		m.setSort((m.sortCol+numColumns-1)%numColumns, false)
	case key.Matches(msg, k.SortReverse):
		m.sortDesc = !m.sortDesc
		m.rebuild()
	case key.Matches(msg, k.Filter):
		m.editing = true
	case key.Matches(msg, k.Clear):
		m.setFilter("")
		m.status = ""
	case key.Matches(msg, k.Group):
		m.groupBy = (m.groupBy + 1) % numGroupModes
		m.cursor, m.top = 0, 0
		m.selected = netstat.SocketKey{}
		m.rebuild()
	case key.Matches(msg, k.Enter):
		m.enter()
	case key.Matches(msg, k.Names):
		m.resolveNames = !m.resolveNames
		m.rebuild()
	case key.Matches(msg, k.Close):
		return m, m.askClose()
	case key.Matches(msg, k.Help):
		m.mode = modeHelp
	}
	return m, m.resolveVisible()
}

// onFilterKey edits the filter text; the table follows each keystroke.
func (m *Model) onFilterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc":
		m.editing = false
		m.setFilter("")
	case "enter":
		m.editing = false
	case "backspace":
		if m.filterText != "" {
			r := []rune(m.filterText)
			m.setFilter(string(r[:len(r)-1]))
		}
	case "ctrl+u":
		m.setFilter("")
	default:
		if msg.Text != "" {
			m.setFilter(m.filterText + termsafe.Sanitize(msg.Text))
		}
	}
	return m.resolveVisible()
}

func (m *Model) setFilter(text string) {
	m.filterText = text
	m.filter, m.filterErr = compileFilter(text)
	m.rebuild()
}

func (m *Model) setSort(c column, toggle bool) {
	if toggle && c == m.sortCol {
		m.sortDesc = !m.sortDesc
	} else {
		m.sortCol = c
		m.sortDesc = c >= colRecvQ // numbers: biggest first
	}
	m.rebuild()
}

// enter expands or folds a group, or opens the details of a socket.
func (m *Model) enter() {
	if m.cursor >= len(m.lines) {
		return
	}
	ln := m.lines[m.cursor]
	if ln.row < 0 {
		g := &m.groups[ln.group]
		m.expanded[g.name] = !g.expanded
		m.rebuild()
		return
	}
	m.mode = modeDetails
	m.detail = m.rows[ln.row].sock.Key()
	m.detailTop = 0
}

// askClose asks whether to close the selected TCP connection.
func (m *Model) askClose() tea.Cmd {
	r, ok := m.current()
	if m.mode == modeDetails {
		r, ok = m.rowByKey(m.detail)
	}
	switch {
	case !ok:
		m.status = "select a connection first"
	case r.sock.Proto != netstat.TCP:
		m.status = "only TCP connections can be closed"
	case r.mark == markClosed:
		m.status = "that connection is closed already"
	case m.cfg.Destroyer == nil:
		m.status = "this source cannot close sockets"
	default:
		m.mode = modeConfirm
		m.confirm = r.sock.Key()
		m.status = ""
	}
	return nil
}

func (m *Model) onDestroyed(msg destroyedMsg) tea.Cmd {
	if msg.err != nil {
		m.status = "not closed: " + msg.what + ": " + msg.err.Error()
		return nil
	}
	m.status = "closed " + msg.what
	if m.paused {
		return nil
	}
	return m.fetch()
}

// describe names a row for messages: "tcp 10.0.0.1:22 -> 10.0.0.2:5000".
func (m *Model) describe(r *row) string {
	return protoText(r.sock) + " " + m.endpointText(r.sock.Local, r.sock.Proto) + " -> " +
		m.endpointText(r.sock.Remote, r.sock.Proto)
}

// onClick sorts by a header that is clicked and moves the cursor to a row that is.
func (m *Model) onClick(ms tea.Mouse) tea.Cmd {
	if m.mode != modeTable || ms.Button != tea.MouseLeft {
		return nil
	}
	switch {
	case ms.Y == headerLine:
		if c, ok := columnAt(m.width, ms.X); ok {
			m.setSort(c, true)
		}
	case ms.Y >= firstRowLine && ms.Y < firstRowLine+m.pageSize():
		if l := m.top + ms.Y - firstRowLine; l < len(m.lines) {
			m.cursor = l
			m.remember()
		}
	}
	return m.resolveVisible()
}

// Screen lines: title, header, rows, status.
const (
	headerLine   = 1
	firstRowLine = 2
)

// pageSize is the number of table lines on screen.
func (m *Model) pageSize() int { return max(m.height-3, 1) }

func (m *Model) move(n int) {
	m.cursor = max(min(m.cursor+n, len(m.lines)-1), 0)
	m.scrollTo(m.cursor)
	m.remember()
}

// remember keeps the socket under the cursor, so it stays selected across refreshes.
func (m *Model) remember() {
	m.selected = netstat.SocketKey{}
	if r, ok := m.current(); ok {
		m.selected = r.sock.Key()
	}
}

func (m *Model) scrollTo(l int) {
	page := m.pageSize()
	if l < m.top {
		m.top = l
	}
	if l >= m.top+page {
		m.top = l - page + 1
	}
	m.top = max(min(m.top, len(m.lines)-page), 0)
}

// current is the socket under the cursor.
func (m *Model) current() (*row, bool) {
	if m.cursor < len(m.lines) {
		if i := m.lines[m.cursor].row; i >= 0 {
			return &m.rows[i], true
		}
	}
	return nil, false
}

func (m *Model) rowByKey(k netstat.SocketKey) (*row, bool) {
	if i, ok := m.byKey.find(m.rows, k); ok {
		return &m.rows[i], true
	}
	return nil, false
}

// resolveVisible asks the background resolver for the names the visible rows (and
// the next page) need and do not have yet; one request runs at a time.
func (m *Model) resolveVisible() tea.Cmd {
	if m.resolving || !m.loaded {
		return nil
	}
	var req nameRequest
	end := min(m.top+2*m.pageSize(), len(m.lines))
	for _, ln := range m.lines[m.top:end] {
		if ln.row < 0 {
			continue
		}
		s := m.rows[ln.row].sock
		if _, ok := m.asked.users[s.UID]; !ok {
			m.asked.users[s.UID] = ""
			req.users = append(req.users, s.UID)
		}
		if !m.resolveNames {
			continue
		}
		for _, ap := range []netip.AddrPort{s.Local, s.Remote} {
			if a := ap.Addr(); a.IsValid() && !a.IsUnspecified() {
				if _, ok := m.asked.hosts[a]; !ok {
					m.asked.hosts[a] = ""
					req.hosts = append(req.hosts, a)
				}
			}
			if p := ap.Port(); p != 0 {
				k := svcKey{p, svcProto(s.Proto)}
				if _, ok := m.asked.svcs[k]; !ok {
					m.asked.svcs[k] = ""
					req.svcs = append(req.svcs, k)
				}
			}
		}
	}
	if req.empty() {
		return nil
	}
	m.resolving = true
	return resolveCmd(m.ctx, m.cfg.Names, req, m.cfg.Timeout)
}

func (n *names) merge(o names) {
	for k, v := range o.hosts {
		n.hosts[k] = v
	}
	for k, v := range o.svcs {
		n.svcs[k] = v
	}
	for k, v := range o.users {
		n.users[k] = v
	}
}
