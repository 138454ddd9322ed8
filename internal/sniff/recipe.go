package sniff

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/netstat-go/netstat/internal/sniff/capture"
	"github.com/netstat-go/netstat/internal/sniff/httpreq"
	"github.com/netstat-go/netstat/internal/sniff/mysqlproto"
	"github.com/netstat-go/netstat/internal/sniff/packet"
)

// timeLayout is the time of an event line.
const timeLayout = "2006-01-02 15:04:05.000000"

// recipe runs one recipe over decoded packets and writes its events and summary.
type recipe struct {
	cfg     config
	out     io.Writer
	err     error // the first write error
	packets int   // packets that matched the port
	now     time.Time
	seg     packet.Segment
	tr      tracker

	sources map[netip.Addr]uint64       // top-sources
	agents  map[string]uint64           // crawlers
	kinds   map[mysqlproto.Kind]uint64  // mysql
	clients map[netip.AddrPort]struct{} // mysql: connections with a statement
}

func newRecipe(cfg config, out io.Writer) *recipe {
	r := &recipe{cfg: cfg, out: out}
	r.tr = tracker{port: cfg.port, conns: map[connKey]*conn{}, oneWay: cfg.recipe != "mysql"}
	switch cfg.recipe {
	case "top-sources":
		r.sources = map[netip.Addr]uint64{}
		r.tr.onUp = func(c *conn, b []byte) {
			c.http.Feed(b, func(httpreq.Request) { r.sources[c.key.client.Addr().Unmap()]++ })
		}
		r.tr.gapUp = func(c *conn) { c.http.Gap() }
	case "crawlers":
		r.agents = map[string]uint64{}
		r.tr.onUp = func(c *conn, b []byte) {
			c.http.Feed(b, func(q httpreq.Request) { r.request(c, q) })
		}
		r.tr.gapUp = func(c *conn) { c.http.Gap() }
	case "mysql":
		r.kinds = map[mysqlproto.Kind]uint64{}
		r.clients = map[netip.AddrPort]struct{}{}
		r.tr.onSYN = func(c *conn) { c.mysql.Start() }
		r.tr.onUp = func(c *conn, b []byte) {
			c.mysql.ClientData(b, func(e mysqlproto.Event) { r.statement(c, e) })
		}
		r.tr.onDown = func(c *conn, b []byte) {
			c.mysql.ServerData(b, func(e mysqlproto.Event) { r.statement(c, e) })
		}
		r.tr.gapUp = func(c *conn) { c.mysql.ClientGap() }
		r.tr.gapDown = func(c *conn) { c.mysql.ServerGap() }
	}
	return r
}

// packet handles one captured packet; it reports whether the packet was TCP on the
// port (and, except for mysql, to it).
func (r *recipe) packet(lt packet.LinkType, data []byte, ts time.Time) bool {
	s := &r.seg
	if err := packet.Decode(lt, data, s); err != nil {
		return false
	}
	toServer := s.Dst.Port() == r.cfg.port
	if !toServer && (r.cfg.recipe != "mysql" || s.Src.Port() != r.cfg.port) {
		return false
	}
	r.packets++
	r.now = ts
	if r.cfg.recipe == "top-sources" {
		src := s.Src.Addr().Unmap()
		switch r.cfg.by {
		case "packets":
			r.sources[src]++
			return true
		case "bytes":
			r.sources[src] += uint64(s.IPLen)
			return true
		case "connections":
			if s.SYN() {
				r.sources[src]++
			}
			return true
		}
	}
	r.tr.segment(ts, s)
	return true
}

func (r *recipe) printf(format string, args ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.out, format, args...)
	}
}

func (r *recipe) emitJSON(v any) {
	if r.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		r.err = err
		return
	}
	_, r.err = r.out.Write(append(b, '\n'))
}

type requestJSON struct {
	Time      time.Time `json:"time"`
	Client    string    `json:"client"`
	UserAgent string    `json:"user_agent"`
	Host      string    `json:"host"`
	Method    string    `json:"method"`
	Path      string    `json:"path"`
}

func (r *recipe) request(c *conn, q httpreq.Request) {
	if !r.cfg.all && !r.cfg.ua.MatchString(q.UserAgent) {
		return
	}
	r.agents[q.UserAgent]++
	client := c.key.client.Addr().Unmap().String()
	if r.cfg.json {
		r.emitJSON(requestJSON{Time: r.now, Client: client, UserAgent: q.UserAgent, Host: q.Host, Method: q.Method, Path: q.Target})
		return
	}
	r.printf("%s %s %q %s %s %s\n", r.now.In(r.cfg.loc).Format(timeLayout), client,
		q.UserAgent, orDash(sanitize(q.Host)), sanitize(q.Method), sanitize(q.Target))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type statementJSON struct {
	Time      time.Time `json:"time"`
	Client    string    `json:"client"`
	User      string    `json:"user,omitempty"`
	DB        string    `json:"db,omitempty"`
	Kind      string    `json:"kind"`
	Statement string    `json:"statement,omitempty"`
	StmtID    *uint32   `json:"stmt_id,omitempty"`
	Known     *bool     `json:"known,omitempty"`
	Params    []string  `json:"params,omitempty"`
	Size      int       `json:"size,omitempty"`
}

func (r *recipe) statement(c *conn, e mysqlproto.Event) {
	r.kinds[e.Kind]++
	r.clients[c.key.client] = struct{}{}
	client := netip.AddrPortFrom(c.key.client.Addr().Unmap(), c.key.client.Port()).String()
	if r.cfg.json {
		j := statementJSON{Time: r.now, Client: client, User: e.User, DB: e.DB, Kind: string(e.Kind), Statement: e.Statement, Params: e.Params, Size: e.Size}
		if e.Kind == mysqlproto.KindExecute {
			id, known := e.StmtID, e.Known
			j.StmtID, j.Known = &id, &known
		}
		r.emitJSON(j)
		return
	}
	who := "?"
	if e.User != "" {
		db := e.DB
		if db == "" {
			db = "(none)"
		}
		who = e.User + "@" + db
	}
	var text string
	switch e.Kind {
	case mysqlproto.KindTLS:
		text = "TLS: statements not visible"
	case mysqlproto.KindCompressed:
		text = "compressed protocol: statements not visible"
	case mysqlproto.KindSkipped:
		text = fmt.Sprintf("skipped: a packet of %d bytes is over the buffer", e.Size)
	case mysqlproto.KindExecute:
		if !e.Known {
			text = fmt.Sprintf("execute %d: unknown statement id (prepared before the capture started)", e.StmtID)
			break
		}
		text = fmt.Sprintf("execute %d: %s", e.StmtID, e.Statement)
		if len(e.Params) > 0 {
			text += " -- params: " + strings.Join(e.Params, ", ")
		}
	default:
		text = string(e.Kind) + ": " + e.Statement
	}
	r.printf("%s %s %s %s\n", r.now.In(r.cfg.loc).Format(timeLayout), client, sanitize(who), sanitize(text))
}

// counted is one line of a uniq -c style list.
type counted struct {
	Count uint64 `json:"count"`
	Key   string `json:"key"`
}

// ranked sorts counts largest first (ties by key) and keeps the first n (0: all).
func ranked[K comparable](m map[K]uint64, key func(K) string, less func(a, b K) int, n int) []counted {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b K) int {
		if c := cmp.Compare(m[b], m[a]); c != 0 {
			return c
		}
		return less(a, b)
	})
	if n > 0 && len(keys) > n {
		keys = keys[:n]
	}
	out := make([]counted, len(keys))
	for i, k := range keys {
		out[i] = counted{Count: m[k], Key: key(k)}
	}
	return out
}

type kernelJSON struct {
	Packets uint64 `json:"packets"`
	Drops   uint64 `json:"drops"`
}

type summaryJSON struct {
	Recipe      string      `json:"recipe"`
	By          string      `json:"by,omitempty"`
	Packets     int         `json:"packets"`
	Top         []counted   `json:"top,omitempty"`
	Agents      []counted   `json:"user_agents,omitempty"`
	Kinds       []counted   `json:"kinds,omitempty"`
	Connections int         `json:"connections,omitempty"`
	Kernel      *kernelJSON `json:"kernel,omitempty"`
}

// finish writes the summary.
func (r *recipe) finish(st *capture.Stats) error {
	sum := summaryJSON{Recipe: r.cfg.recipe, Packets: r.packets}
	if st != nil {
		sum.Kernel = &kernelJSON{Packets: st.Packets, Drops: st.Drops}
	}
	var lines []counted
	var title string
	switch r.cfg.recipe {
	case "top-sources":
		sum.By = r.cfg.by
		sum.Top = ranked(r.sources, func(a netip.Addr) string { return a.String() }, netip.Addr.Compare, r.cfg.top)
		lines = sum.Top
	case "crawlers":
		sum.Agents = ranked(r.agents, func(s string) string { return s }, strings.Compare, 0)
		lines, title = sum.Agents, "requests per User-Agent:"
	case "mysql":
		sum.Kinds = ranked(r.kinds, func(k mysqlproto.Kind) string { return string(k) },
			func(a, b mysqlproto.Kind) int { return strings.Compare(string(a), string(b)) }, 0)
		sum.Connections = len(r.clients)
		lines, title = sum.Kinds, fmt.Sprintf("events per kind (%d connections):", len(r.clients))
	}
	if r.cfg.json {
		r.emitJSON(map[string]summaryJSON{"summary": sum})
		return r.err
	}
	if title != "" {
		r.printf("\n%s\n", title)
	}
	for _, l := range lines {
		r.printf("%7d %s\n", l.Count, sanitize(l.Key))
	}
	return r.err
}
