package top

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/termsafe"
	"github.com/netstat-go/netstat/netstat"
)

// View implements tea.Model. It draws from the model only: no I/O, no look-ups.
func (m *Model) View() tea.View {
	if m.frame == "" {
		m.frame = m.render() // kept until the next Update that changes something
	}
	v := tea.NewView(m.frame)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "netstat top"
	return v
}

var (
	styleNew      = lipgloss.NewStyle().Foreground(lipgloss.Green)
	styleChanged  = lipgloss.NewStyle().Foreground(lipgloss.Yellow)
	styleClosed   = lipgloss.NewStyle().Foreground(lipgloss.Red)
	styleSelected = lipgloss.NewStyle().Reverse(true)
	styleHeader   = lipgloss.NewStyle().Bold(true)
	styleError    = lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true)
)

// paint applies st when colour is on.
func (m *Model) paint(st lipgloss.Style, s string) string {
	if !m.cfg.Color {
		return s
	}
	return st.Render(s)
}

// render is the whole screen as text, exactly m.height lines of at most m.width
// cells.
func (m *Model) render() string {
	var lines []string
	switch m.mode {
	case modeHelp:
		lines = m.helpLines()
	case modeDetails:
		lines = m.detailLines()
		if top := min(m.detailTop, max(len(lines)-m.height+1, 0)); top > 0 {
			lines = lines[top:]
		}
		lines = append(lines[:min(len(lines), m.height-1)], m.paint(styleHeader, "esc back  x close  ↑/↓ scroll  q quit"))
	default:
		lines = m.tableLines()
	}
	var b strings.Builder
	for i := range m.height {
		s := ""
		if i < len(lines) {
			s = lines[i]
		}
		if ansi.StringWidth(s) > m.width {
			s = ansi.Truncate(s, m.width, "")
		}
		b.WriteString(s)
		if i < m.height-1 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func (m *Model) tableLines() []string {
	out := make([]string, 0, m.height)
	out = append(out, m.titleLine())
	cols := layout(m.width)
	var h strings.Builder
	h.WriteString(strings.Repeat(" ", markWidth))
	for _, p := range cols {
		t := columns[p.col].title
		if p.col == m.sortCol {
			if m.sortDesc {
				t += "▼"
			} else {
				t += "▲"
			}
		}
		h.WriteString(fit(t, p.w, columns[p.col].right, false))
		h.WriteByte(' ')
	}
	out = append(out, m.paint(styleHeader, strings.TrimRight(h.String(), " ")))
	page := m.pageSize()
	end := min(m.top+page, len(m.lines))
	for l := m.top; l < end; l++ {
		out = append(out, m.lineText(l, cols))
	}
	for len(out) < page+2 {
		out = append(out, "")
	}
	return append(out, m.statusLine())
}

// titleLine says what is shown: counts, sort, grouping, filter, pause.
func (m *Model) titleLine() string {
	var b strings.Builder
	b.WriteString("netstat top")
	if m.paused {
		b.WriteString("  PAUSED")
	} else {
		b.WriteString("  every " + m.cfg.Interval.String())
	}
	nNew, nChanged, nClosed := m.counts[markNew], m.counts[markChanged], m.counts[markClosed]
	fmt.Fprintf(&b, "  %d sockets", m.live-nClosed)
	if m.filter.active() {
		fmt.Fprintf(&b, " (%d match)", m.shown)
	}
	fmt.Fprintf(&b, "  +%d ~%d -%d", nNew, nChanged, nClosed)
	if m.groupBy != groupNone {
		fmt.Fprintf(&b, "  by %s: %s", groupNames[m.groupBy], plural(len(m.groups), "group"))
	}
	if m.resolveNames {
		b.WriteString("  names")
	}
	if !m.taken.IsZero() {
		b.WriteString("  " + m.taken.Format("15:04:05"))
	}
	return b.String()
}

// statusLine is the last line: the filter being typed, a question, an error or the
// keys.
func (m *Model) statusLine() string {
	switch {
	case m.mode == modeConfirm:
		if r, ok := m.rowByKey(m.confirm); ok {
			return m.paint(styleError, "Close "+m.describe(r)+" ("+r.stateText()+")? [y/N]")
		}
	case m.editing:
		s := "/" + m.filterText + "▏"
		if m.filterErr != "" {
			s += "  " + m.paint(styleError, m.filterErr+" (matching words)")
		}
		return s
	case m.err != nil:
		return m.paint(styleError, "error: "+errorText(m.err))
	case m.status != "":
		return m.status
	}
	var b strings.Builder
	if m.filterText != "" {
		b.WriteString("filter: " + m.filterText)
		if m.filter.expr == nil {
			b.WriteString(" (words)")
		}
		b.WriteString("  esc clears  ")
	}
	if p := m.ownersPartial; len(p.Uninspected) > 0 || p.ProcUnreadable {
		b.WriteString("some owners hidden (not root)  ")
	}
	b.WriteString("? help  / filter  g group  x close  q quit")
	return b.String()
}

// errorText explains a snapshot error.
func errorText(err error) string {
	if errors.Is(err, source.ErrPermission) {
		return "permission denied: " + err.Error()
	}
	return err.Error()
}

// lineText draws one table line.
func (m *Model) lineText(l int, cols []placed) string {
	ln := m.lines[l]
	cursor := " "
	if l == m.cursor {
		cursor = ">"
	}
	if gi, ok := groupOf(ln); ok {
		g := &m.groups[gi]
		fold := "▸"
		if g.expanded {
			fold = "▾"
		}
		s := fmt.Sprintf(" %s%s %s  %s", cursor, fold, g.name, plural(len(g.rows), "socket"))
		if g.tx > 0 || g.rx > 0 {
			s += "  send " + rateText(m.rate(g.tx)) + "/s recv " + rateText(m.rate(g.rx)) + "/s"
		}
		if g.recvQ > 0 || g.sendQ > 0 {
			s += "  queues " + strconv.FormatUint(g.recvQ, 10) + "/" + strconv.FormatUint(g.sendQ, 10)
		}
		if l == m.cursor {
			return m.paint(styleSelected, s)
		}
		return s
	}
	r := m.rows.at(int(ln))
	var b strings.Builder
	b.WriteString(markText[r.mark()])
	b.WriteString(cursor)
	for i, p := range cols {
		keepEnd := p.col == colLocal || p.col == colRemote
		b.WriteString(fit(m.cell(r, p.col), p.w, columns[p.col].right, keepEnd))
		if i < len(cols)-1 {
			b.WriteByte(' ')
		}
	}
	s := strings.TrimRight(b.String(), " ")
	switch {
	case l == m.cursor:
		return m.paint(styleSelected, s)
	case r.mark() == markNew:
		return m.paint(styleNew, s)
	case r.mark() == markChanged:
		return m.paint(styleChanged, s)
	case r.mark() == markClosed:
		return m.paint(styleClosed, s)
	}
	return s
}

func (m *Model) helpLines() []string {
	out := []string{m.paint(styleHeader, "netstat top: keys"), ""}
	for _, b := range m.keys.all() {
		h := b.Help()
		out = append(out, fmt.Sprintf("  %-9s %s", h.Key, h.Desc))
	}
	out = append(out, "",
		"Rows: + new, ~ state changed, - closed (shown for two refreshes).",
		"Send/s and Recv/s: tcp_info bytes_acked and bytes_received per second.",
		"Filter: ss syntax (dport = :443, state established, src 10.0.0.0/8)",
		"or plain words matched fzf-style against program, address, port, state.",
		"", "Any key returns.")
	return out
}

// detailLines is everything known about the socket under the details panel.
func (m *Model) detailLines() []string {
	r, ok := m.rowByKey(m.detail)
	if !ok {
		return []string{"The socket has gone."}
	}
	// The row has what the table shows; the rest (tcp_info, timers, cgroup) comes
	// from a snapshot of this one socket, fetched when the panel opens and at every
	// refresh.
	s := m.detailSock
	if s == nil || s.Key() != m.detail {
		s = new(netstat.Socket)
		r.socket(s)
	}
	owners := m.owners(r)
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	state := stateText(s)
	switch r.mark() {
	case markNew:
		state += " (new)"
	case markChanged:
		state += " (state changed)"
	case markClosed:
		state += " (closed)"
	}
	add("%s %s -> %s  %s", protoText(s), m.endpointText(s.Local, s.Proto), m.endpointText(s.Remote, s.Proto), state)
	add("  Recv-Q %d  Send-Q %d  Backlog %d  User %s (uid %d)", s.RecvQ, s.SendQ, s.Backlog, m.userText(s.UID), s.UID)
	add("  Inode %d  Cookie %#x  Interface %d  Cgroup %#x", s.Inode, s.Cookie, s.IfIndex, s.CgroupID)
	add("  Timer %s %s  Retransmits %d  Probes %d", timerName(s.Timer), durText(ticks(s.TimerTicks)), s.Retransmits, s.Probes)
	if i := s.Info; i != nil {
		out = append(out, "")
		cc := termsafe.Sanitize(s.Congestion)
		if cc == "" {
			cc = "-"
		}
		add("TCP info  congestion %s  ca_state %d  options %#x  wscale %d/%d", cc, i.CAState, i.Options, i.SndWScale, i.RcvWScale)
		add("  rtt %s/%s  min_rtt %s  rcv_rtt %s  rto %s  ato %s", durText(i.RTT), durText(i.RTTVar), durText(i.MinRTT), durText(i.RcvRTT), durText(i.RTO), durText(i.ATO))
		add("  mss %d/%d  advmss %d  pmtu %d  cwnd %d  ssthresh %d/%d", i.SndMSS, i.RcvMSS, i.AdvMSS, i.PMTU, i.SndCwnd, i.SndSsthresh, i.RcvSsthresh)
		add("  bytes sent %d  acked %d  received %d  retrans %d  notsent %d", i.BytesSent, i.BytesAcked, i.BytesReceived, i.BytesRetrans, i.NotsentBytes)
		add("  segs out %d in %d  data out %d in %d  delivered %d (ce %d)", i.SegsOut, i.SegsIn, i.DataSegsOut, i.DataSegsIn, i.Delivered, i.DeliveredCE)
		add("  unacked %d  sacked %d  lost %d  retrans %d/%d  reordering %d  dsack %d", i.Unacked, i.Sacked, i.Lost, i.Retrans, i.TotalRetrans, i.Reordering, i.DSackDups)
		add("  pacing %s/s  max %s/s  delivery %s/s  snd_wnd %d  rcv_wnd %d  rcv_space %d", rateText(float64(i.PacingRate)), rateText(float64(i.MaxPacingRate)), rateText(float64(i.DeliveryRate)), i.SndWnd, i.RcvWnd, i.RcvSpace)
		add("  last send %s  recv %s  ack %s ago", durText(i.LastDataSent), durText(i.LastDataRecv), durText(i.LastAckRecv))
		add("  busy %s  rwnd-limited %s  sndbuf-limited %s  probes %d  backoff %d", durText(i.BusyTime), durText(i.RwndLimited), durText(i.SndbufLimited), i.Probes, i.Backoff)
		if r.hasRate() {
			add("  now: send %s/s  recv %s/s", rateText(m.rate(float64(r.tx))), rateText(m.rate(float64(r.rx))))
		}
	}
	out = append(out, "")
	if len(owners) == 0 {
		out = append(out, "Processes: none known (not root, or a kernel socket)")
	} else {
		add("Processes (%d)", len(owners))
		for _, p := range owners {
			cmd := make([]string, len(p.Cmdline))
			for i, a := range p.Cmdline {
				cmd[i] = termsafe.Sanitize(a)
			}
			add("  %d %s (%s)  %s", p.PID, termsafe.Sanitize(p.Name), m.userText(p.UID), strings.Join(cmd, " "))
		}
	}
	out = append(out, "", "Dig further")
	if len(owners) > 0 {
		add("  strace -f -p %d -e trace=network", owners[0].PID)
		add("  ls -l /proc/%d/fd | grep %d", owners[0].PID, s.Inode)
	}
	flag := "-tin"
	if s.Proto != netstat.TCP {
		flag = "-uin"
	}
	if s.Remote.Port() != 0 {
		add("  ss %s dst %s", flag, numericEndpoint(s.Remote))
	} else {
		add("  ss %sl src %s", flag, numericEndpoint(s.Local))
	}
	if s.Proto == netstat.TCP && s.Remote.Port() != 0 {
		add("  netstat close 'dst %s and sport = :%d'", numericEndpoint(s.Remote), s.Local.Port())
	}
	return out
}

// numericEndpoint is addr:port as ss takes it ([v6]:port).
func numericEndpoint(ap netip.AddrPort) string {
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()).String()
}

func timerName(k netstat.TimerKind) string {
	switch k {
	case netstat.TimerOn:
		return "on"
	case netstat.TimerKeepalive:
		return "keepalive"
	case netstat.TimerTimeWait:
		return "timewait"
	case netstat.TimerProbe:
		return "probe"
	}
	return "off"
}

// plural is "1 socket", "2 sockets".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
