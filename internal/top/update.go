package top

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/netstat-go/netstat/internal/analysis"
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

// fetch asks for a stream under a new token: replies to earlier requests are stale
// from now on, and their streams are stopped.
func (m *Model) fetch() tea.Cmd {
	m.token++
	if m.cancelFetch != nil {
		m.cancelFetch()
	}
	ctx, cancel := context.WithCancel(m.ctx)
	m.cancelFetch = cancel
	return fetchCmd(ctx, m.cfg.Source, m.cfg.Query, m.cfg.Timeout, m.token, m.chunks)
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if c, ok := msg.(chunkMsg); ok && !c.done {
		// A chunk of a stream changes only values the next frame shows: the
		// screen stays as it is until the stream ends.
		return m, m.onChunk(c)
	}
	m.frame = ""
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.scrollTo(m.cursor)
		return m, m.resolveVisible()
	case chunkMsg:
		return m, m.onChunk(msg)
	case ownersMsg:
		m.onOwners(msg)
		return m, m.findOwners()
	case detailMsg:
		if msg.gen == m.detailGen && msg.key == m.detail {
			m.detailSock = msg.sock
		}
		return m, nil
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

// onChunk applies a chunk of a stream: chunks of stale streams are dropped (and
// the rest of the stream drained), the rows are diffed against the previous refresh
// as the chunks come, and when the stream ends the table is rebuilt and the next
// refresh scheduled.
func (m *Model) onChunk(msg chunkMsg) tea.Cmd {
	if msg.token != m.token || m.paused {
		m.chunks.put(msg.recs)
		if !msg.done {
			return drainCmd(msg.next, m.chunks)
		}
		return nil
	}
	if !m.applying || m.applyToken != msg.token {
		m.beginApply()
		m.applyToken = msg.token
	}
	if msg.recs != nil {
		m.applyChunk(*msg.recs)
		m.chunks.put(msg.recs)
	}
	if !msg.done {
		return nextChunk(msg.next, msg.token)
	}
	if m.cancelFetch != nil {
		m.cancelFetch()
	}
	m.tickGen++
	next := tick(m.cfg.Interval, m.tickGen)
	if msg.err != nil {
		m.err = msg.err
		m.endApply(msg.taken, false)
		m.rebuild()
		return next
	}
	m.err = nil
	m.partial = msg.partial
	m.endApply(msg.taken, true)
	m.rebuild()
	return tea.Batch(next, m.resolveVisible(), m.findOwners(), m.fetchDetail())
}

// ownerScanInterval is the shortest time between two owner look-ups.
const ownerScanInterval = time.Second

// findOwners asks cfg.Owners for the holders of the sockets that appeared since the
// last look-up: only when there are some, one look-up at a time, and at most once per
// ownerScanInterval (of snapshot time).
func (m *Model) findOwners() tea.Cmd {
	if m.cfg.Owners == nil || m.scanning || !m.pendingOwners {
		return nil
	}
	if !m.ownersAt.IsZero() && m.taken.Sub(m.ownersAt) < ownerScanInterval {
		return nil
	}
	var inodes []uint64
	for i := range m.slot {
		if r := m.rows.at(int(i)); r.owner == ownerUnknown && m.slot[i]&slotFree == 0 {
			r.owner = ownerAsked
			inodes = append(inodes, r.inode)
		}
	}
	m.pendingOwners = false
	slices.Sort(inodes)
	inodes = slices.Compact(inodes) // sockets may share an inode (a /proc fallback)
	if len(inodes) == 0 {
		return nil
	}
	m.scanning, m.ownersAt = true, m.taken
	return ownersCmd(m.ctx, m.cfg.Owners, inodes, m.cfg.Timeout)
}

// onOwners gives the rows that were asked about their holders: a list of processes,
// none (when the look-up read every process without finding one), or unknown again.
func (m *Model) onOwners(msg ownersMsg) {
	m.scanning = false
	var remap []int32
	if msg.err == nil {
		m.ownersPartial = msg.found.Partial
		remap = make([]int32, len(msg.found.Sets))
		for i := range remap {
			remap[i] = -1
		}
	}
	for i := range m.slot {
		r := m.rows.at(int(i))
		if r.owner != ownerAsked {
			continue
		}
		switch {
		case msg.err != nil:
			r.owner = ownerUnknown
			m.pendingOwners = true
			continue
		}
		j, ok := msg.found.Set(r.inode)
		switch {
		case ok:
			if remap[j] < 0 {
				remap[j] = m.intern(msg.found.Sets[j])
			}
			r.owner = remap[j]
		case msg.found.Complete:
			r.owner = ownerNone
		default:
			r.owner = ownerUnknown
			m.pendingOwners = true
		}
		m.slot[i] |= slotMoved
	}
	m.rebuild()
}

// intern returns the index in m.sets of the list of holders with l's PIDs, adding l
// when it is new. Lists nobody points to any more are dropped when they are more than
// half of them.
func (m *Model) intern(l []netstat.Process) int32 {
	var b strings.Builder
	for _, p := range l {
		b.WriteString(strconv.Itoa(p.PID))
		b.WriteByte(' ')
	}
	k := b.String()
	if i, ok := m.setIndex[k]; ok {
		return i
	}
	if len(m.sets) >= 256 && len(m.sets) >= 2*m.setsInUse() {
		m.compactSets()
	}
	i := int32(len(m.sets))
	m.sets = append(m.sets, l)
	m.setIndex[k] = i
	return i
}

func (m *Model) setsInUse() int {
	used := make([]bool, len(m.sets))
	n := 0
	for i := range m.slot {
		if o := m.rows.at(int(i)).owner; o >= 0 && !used[o] {
			used[o] = true
			n++
		}
	}
	return n
}

// compactSets drops the lists of holders no row points to.
func (m *Model) compactSets() {
	remap := make([]int32, len(m.sets))
	for i := range remap {
		remap[i] = -1
	}
	var sets [][]netstat.Process
	for i := range m.slot {
		r := m.rows.at(int(i))
		if r.owner < 0 {
			continue
		}
		if remap[r.owner] < 0 {
			remap[r.owner] = int32(len(sets))
			sets = append(sets, m.sets[r.owner])
		}
		r.owner = remap[r.owner]
	}
	for k, i := range m.setIndex {
		if remap[i] < 0 {
			delete(m.setIndex, k)
		} else {
			m.setIndex[k] = remap[i]
		}
	}
	m.sets = sets
}

// owners returns the processes holding r's socket (nil when none is known).
func (m *Model) owners(r *row) []netstat.Process {
	if r.owner < 0 {
		return nil
	}
	return m.sets[r.owner]
}

// fetchDetail asks for the whole socket of the details panel when it is open.
func (m *Model) fetchDetail() tea.Cmd {
	if m.mode != modeDetails && !(m.mode == modeConfirm && m.detailSock != nil) {
		return nil
	}
	r, ok := m.rowByKey(m.detail)
	if !ok {
		return nil
	}
	m.detailGen++
	return detailCmd(m.ctx, m.cfg.Source, m.cfg.Query, m.detail, r.family(), m.cfg.Timeout, m.detailGen)
}

// rebuild recomputes what the table shows: sort, filter, group, then the lines. It
// runs when the rows or the choices change, never while drawing.
func (m *Model) rebuild() {
	m.sortRows()
	switch {
	case m.groupBy == groupNone && !m.filter.active():
		m.lines = m.order
		m.shown = len(m.order)
	case m.groupBy == groupNone:
		m.lines = m.lines[:0:0]
		for _, i := range m.order {
			if m.matches(m.rows.at(int(i))) {
				m.lines = append(m.lines, i)
			}
		}
		m.shown = len(m.lines)
	default:
		m.group()
	}
	m.cursor = m.findSelected()
	m.scrollTo(m.cursor)
}

// group builds the groups of the rows that pass the filter, and their lines.
func (m *Model) group() {
	m.groups = m.groups[:0]
	m.shown = 0
	at := map[string]int{}
	var names map[int32]string // process group keys, per list of holders
	if m.groupBy == groupProcess {
		names = map[int32]string{}
	}
	for _, i := range m.order {
		r := m.rows.at(int(i))
		if !m.matches(r) {
			continue
		}
		m.shown++
		var k string
		if names != nil {
			var ok bool
			if k, ok = names[r.owner]; !ok {
				k = m.groupKey(r)
				names[r.owner] = k
			}
		} else {
			k = m.groupKey(r)
		}
		g, ok := at[k]
		if !ok {
			g = len(m.groups)
			at[k] = g
			m.groups = append(m.groups, group{name: k, expanded: m.expanded[k]})
		}
		gr := &m.groups[g]
		gr.rows = append(gr.rows, i)
		gr.tx += float64(r.tx) // byte deltas: the view divides by the interval
		gr.rx += float64(r.rx)
		gr.recvQ += uint64(r.recvQ)
		gr.sendQ += uint64(r.sendQ)
	}
	slices.SortStableFunc(m.groups, func(a, b group) int {
		if c := cmp.Compare(len(b.rows), len(a.rows)); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	m.lines = m.lines[:0:0]
	for g := range m.groups {
		m.lines = append(m.lines, header(g))
		if m.groups[g].expanded {
			m.lines = append(m.lines, m.groups[g].rows...)
		}
	}
}

// dynamic reports whether column c changes with every refresh (every row is then
// sorted again each time).
func dynamic(c column) bool {
	switch c {
	case colRecvQ, colSendQ, colTx, colRx, colRTT:
		return true
	}
	return false
}

// sortRows brings m.order up to date. For a column whose values change with every
// refresh, or a new choice of column, it sorts every row (n log n); otherwise it keeps
// the order of the rows that did not move and merges in the new and moved ones, which
// costs one pass plus m log n for m such rows.
func (m *Model) sortRows() {
	cmpSlots := func(a, b int32) int {
		ra, rb := m.rows.at(int(a)), m.rows.at(int(b))
		c := m.compare(ra, rb, m.sortCol)
		if c == 0 {
			c = compareKeys(&ra.record, &rb.record)
		}
		if m.sortDesc {
			return -c
		}
		return c
	}
	if !m.orderOK || m.orderCol != m.sortCol || m.orderDesc != m.sortDesc || dynamic(m.sortCol) {
		m.order = slices.Grow(m.order[:0], m.live)
		for i, st := range m.slot {
			if st&slotFree == 0 {
				m.order = append(m.order, int32(i))
			}
			m.slot[i] = st &^ slotMoved
		}
		slices.SortFunc(m.order, cmpSlots)
		m.orderCol, m.orderDesc, m.orderOK = m.sortCol, m.sortDesc, true
		return
	}
	moved := m.moved[:0]
	for i, st := range m.slot {
		if st == slotMoved {
			moved = append(moved, int32(i))
		}
	}
	m.moved = moved[:0]
	kept := m.order[:0]
	for _, i := range m.order {
		if m.slot[i] == 0 {
			kept = append(kept, i)
		}
	}
	for _, i := range moved {
		m.slot[i] = 0
	}
	if len(moved) == 0 {
		m.order = kept
		return
	}
	slices.SortFunc(moved, cmpSlots)
	// Merge from the end, in place: each moved row goes after every kept row not
	// greater than it (a binary search), the kept rows after it shift right.
	n := len(kept) + len(moved)
	order := slices.Grow(kept, len(moved))[:n]
	w, k := n-1, len(kept)-1
	for j := len(moved) - 1; j >= 0; j-- {
		t := moved[j]
		pos, _ := slices.BinarySearchFunc(order[:k+1], t, func(e, t int32) int {
			if cmpSlots(e, t) <= 0 {
				return -1
			}
			return 1
		})
		for ; k >= pos; k-- {
			order[w] = order[k]
			w--
		}
		order[w] = t
		w--
	}
	m.order = order
}

// findSelected is the line of the socket that was under the cursor, or the nearest
// line to where the cursor was when it has gone.
func (m *Model) findSelected() int {
	if m.selected != (netstat.SocketKey{}) {
		if i, ok := m.slotByKey(m.selected); ok {
			for l, ln := range m.lines {
				if ln == i {
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
		o := m.owners(r)
		if len(o) == 0 {
			return "(no process)"
		}
		return termsafe.Sanitize(o[0].Name)
	case groupState:
		if st := r.stateText(); st != "" {
			return st
		}
		return "(none)"
	case groupRemote:
		a := r.remoteAP().Addr()
		if !a.IsValid() || a.IsUnspecified() {
			return "*"
		}
		return m.hostText(a)
	case groupLocalPort:
		return svcProto(r.proto) + " " + strconv.Itoa(int(r.lport))
	}
	return ""
}

// compare orders two rows by column c.
func (m *Model) compare(a, b *row, c column) int {
	switch c {
	case colProto:
		if x := cmp.Compare(a.proto, b.proto); x != 0 {
			return x
		}
		return cmp.Compare(a.family(), b.family())
	case colLocal:
		return compareEndpoints(a.local, b.local, a.flags&3, b.flags&3, a.lport, b.lport)
	case colRemote:
		return compareEndpoints(a.remote, b.remote, a.flags>>remoteKindShift&3, b.flags>>remoteKindShift&3, a.rport, b.rport)
	case colState:
		return strings.Compare(a.stateText(), b.stateText())
	case colProg:
		return strings.Compare(m.progName(a), m.progName(b))
	case colUser:
		return cmp.Compare(a.uid, b.uid)
	case colRecvQ:
		return cmp.Compare(a.recvQ, b.recvQ)
	case colSendQ:
		return cmp.Compare(a.sendQ, b.sendQ)
	case colTx:
		return cmp.Compare(a.tx, b.tx)
	case colRx:
		return cmp.Compare(a.rx, b.rx)
	case colRTT:
		return cmp.Compare(rtt(a), rtt(b))
	}
	return 0
}

// compareKeys orders sockets by local then remote endpoint, protocol, family and
// the rest of the key.
func compareKeys(a, b *record) int {
	if c := compareEndpoints(a.local, b.local, a.flags&3, b.flags&3, a.lport, b.lport); c != 0 {
		return c
	}
	if c := compareEndpoints(a.remote, b.remote, a.flags>>remoteKindShift&3, b.flags>>remoteKindShift&3, a.rport, b.rport); c != 0 {
		return c
	}
	if c := cmp.Compare(a.proto, b.proto); c != 0 {
		return c
	}
	if c := cmp.Compare(a.family(), b.family()); c != 0 {
		return c
	}
	return cmp.Compare(a.id(), b.id())
}

// compareEndpoints orders endpoints as netip does their unmapped addresses (invalid,
// then IPv4, then IPv6, each by value), then by port.
func compareEndpoints(a, b [16]byte, ka, kb uint8, pa, pb uint16) int {
	if c := cmp.Compare(addrClass(a, ka), addrClass(b, kb)); c != 0 {
		return c
	}
	if c := bytes.Compare(a[:], b[:]); c != 0 {
		return c
	}
	return cmp.Compare(pa, pb)
}

// v4Mapped is the prefix of an IPv4-mapped IPv6 address.
var v4Mapped = [12]byte{10: 0xff, 11: 0xff}

// addrClass is 0 for no address, 1 for IPv4 (and IPv4-mapped IPv6), 2 for IPv6.
func addrClass(b [16]byte, kind uint8) int {
	switch {
	case kind == addrNone:
		return 0
	case kind == addr4 || [12]byte(b[:12]) == v4Mapped:
		return 1
	}
	return 2
}

func (m *Model) progName(r *row) string {
	if o := m.owners(r); len(o) > 0 {
		return o[0].Name
	}
	return ""
}

func rtt(r *row) int64 {
	if !r.hasInfo() {
		return -1
	}
	return int64(r.rtt)
}

// matches reports whether a row passes the `/` filter.
func (m *Model) matches(r *row) bool {
	f := m.filter
	if f.expr != nil {
		var s netstat.Socket
		r.socket(&s)
		return f.expr.Match(&s)
	}
	if len(f.words) == 0 {
		return true
	}
	// Names and states match fzf-style (letters in order); numbers (addresses,
	// ports, PIDs) match as substrings, where a scattered match means nothing.
	names := []string{r.protoText(), r.stateText()}
	numbers := []string{m.endpointText(r.localAP(), r.proto), m.endpointText(r.remoteAP(), r.proto)}
	for _, p := range m.owners(r) {
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
			if !ok || r.mark() == markClosed {
				m.status = "the connection has gone already"
				return m, nil
			}
			m.status = "closing " + m.describe(r) + " ..."
			var s netstat.Socket
			r.socket(&s)
			return m, destroyCmd(m.ctx, m.cfg.Destroyer, s, m.cfg.Timeout)
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
			m.token++ // a stream on its way is not shown, and is stopped
			if m.cancelFetch != nil {
				m.cancelFetch()
			}
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
		return m, tea.Batch(m.enter(), m.resolveVisible())
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
func (m *Model) enter() tea.Cmd {
	if m.cursor >= len(m.lines) {
		return nil
	}
	ln := m.lines[m.cursor]
	if g, ok := groupOf(ln); ok {
		gr := &m.groups[g]
		m.expanded[gr.name] = !gr.expanded
		m.rebuild()
		return nil
	}
	m.mode = modeDetails
	m.detail = m.rows.at(int(ln)).key()
	m.detailTop = 0
	m.detailSock = nil
	return m.fetchDetail()
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
	case r.proto != netstat.TCP:
		m.status = "only TCP connections can be closed"
	case r.mark() == markClosed:
		m.status = "that connection is closed already"
	case m.cfg.Destroyer == nil:
		m.status = "this source cannot close sockets"
	default:
		m.mode = modeConfirm
		m.confirm = r.key()
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
	return r.protoText() + " " + m.endpointText(r.localAP(), r.proto) + " -> " +
		m.endpointText(r.remoteAP(), r.proto)
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
		m.selected = r.key()
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
		if i := m.lines[m.cursor]; i >= 0 {
			return m.rows.at(int(i)), true
		}
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
		if ln < 0 {
			continue
		}
		r := m.rows.at(int(ln))
		if _, ok := m.asked.users[r.uid]; !ok {
			m.asked.users[r.uid] = ""
			req.users = append(req.users, r.uid)
		}
		if !m.resolveNames {
			continue
		}
		for _, ap := range []netip.AddrPort{r.localAP(), r.remoteAP()} {
			if a := ap.Addr(); a.IsValid() && !a.IsUnspecified() {
				if _, ok := m.asked.hosts[a]; !ok {
					m.asked.hosts[a] = ""
					req.hosts = append(req.hosts, a)
				}
			}
			if p := ap.Port(); p != 0 {
				k := svcKey{p, svcProto(r.proto)}
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
