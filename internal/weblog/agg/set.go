package agg

import (
	"bytes"
	"net/netip"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/netstat-go/netstat/internal/weblog/awkcompat"
	"github.com/netstat-go/netstat/internal/weblog/logfmt"
)

// Want selects the aggregates a run computes.
type Want uint32

// Aggregates.
const (
	WantIPs Want = 1 << iota
	WantURLs
	WantLargest
	WantBig
	WantSlowest
	WantSlow
	WantTraffic
	WantStatusList
	WantStatus
	WantDomains
	WantCrawlers
	WantTimeline
	WantURLTimes
	WantAll = 1<<iota - 1
)

// Bots filters requests by User-Agent class.
type Bots int

// Bot filters.
const (
	BotsAll Bots = iota
	BotsOnly
	BotsExclude
)

// Group folds the paths matching RE into Name.
type Group struct {
	RE   *regexp.Regexp
	Name string
}

// Config is what a run computes and which requests it keeps. It is shared read-only
// by the workers.
type Config struct {
	Want       Want
	LargestN   int     // lines kept by largest (0: all)
	SlowestN   int     // lines kept by slowest (0: all)
	MinBytes   float64 // big: $10 > MinBytes
	Over       float64 // slow: $NF > Over, in the log's time unit
	Unit       logfmt.Unit
	Match      *regexp.Regexp // on the path
	Status     []string       // "404" or a class "4xx"
	Since      int64          // Unix seconds, inclusive (HasSince)
	Until      int64          // Unix seconds, exclusive (HasUntil)
	HasSince   bool
	HasUntil   bool
	IPs        []netip.Prefix
	ExcludeIPs []netip.Prefix
	Bots       Bots
	BotRE      *regexp.Regexp // crawler User-Agents
	Groups     []Group
}

// Fields returns the fields of a request that the wanted aggregates and the filters
// read: a parser may stop reading a line after the last of them.
func (c *Config) Fields() logfmt.Fields {
	const (
		host    = logfmt.FieldHost
		when    = logfmt.FieldTime
		request = logfmt.FieldRequest
		status  = logfmt.FieldStatus
		size    = logfmt.FieldBytes
		ua      = logfmt.FieldUA
		resp    = logfmt.FieldRespTime
	)
	var f logfmt.Fields
	for _, n := range []struct {
		want   Want
		fields logfmt.Fields
	}{
		{WantIPs, host},
		{WantURLs, request},
		{WantLargest, size | host | when | request},
		{WantBig, size | request},
		{WantSlowest, resp | host | when | request},
		{WantSlow, resp | request},
		{WantTraffic, size},
		{WantStatusList, status | request},
		{WantStatus, status},
		{WantDomains, request | size},
		{WantCrawlers, ua},
		{WantTimeline, when | status | size},
		{WantURLTimes, resp | request},
	} {
		if c.Want&n.want != 0 {
			f |= n.fields
		}
	}
	if c.HasSince || c.HasUntil {
		f |= when
	}
	if len(c.Status) > 0 {
		f |= status
	}
	if c.Match != nil || len(c.Groups) > 0 {
		f |= request
	}
	if len(c.IPs) > 0 || len(c.ExcludeIPs) > 0 {
		f |= host
	}
	if c.Bots != BotsAll {
		f |= ua
	}
	return f
}

// Bucket is one minute of the timeline.
type Bucket struct {
	Requests, C4xx, C5xx, Bytes uint64
}

// Set is one worker's aggregates.
type Set struct {
	cfg      *Config
	Records  uint64 // requests that passed the filters
	Filtered uint64 // well-formed requests the filters dropped
	NoTime   uint64 // requests whose timestamp did not parse
	Bytes    uint64 // traffic: the sum of the sizes

	IPs, Status, Domains, Crawlers *Counter
	// status3 counts the three-digit status codes until Finish adds them to Status.
	status3          [1000]uint64
	Largest, Slowest *TopLines
	Timeline         map[int64]*Bucket

	// Per path, filled in by Finish from the per-path statistics (StatusList and
	// WithStatus read them on demand).
	URLs, Big, Slow *Counter
	URLTimes        map[string]*Hist

	// One map lookup per request for everything counted per path.
	urls     keyIndex
	urlStats []urlStat

	lastMinute int64
	lastBucket *Bucket

	pathOK *verdicts
	// pathLit, when --match is a plain ASCII literal (`\.exe`), is that literal:
	// a substring search on the path costs less than the verdict cache's look-up.
	pathLit  []byte
	hostOK   *verdicts
	botUA    *verdicts
	group    map[string]string
	lastTime []byte
	lastSec  int64
	lastOK   bool
	buf      []byte
}

const cacheLimit = 1 << 16

// urlStat is everything counted per path, laid out in three cache lines (with the
// alignment of a large slice): the count and the histogram every request touches,
// the status codes the status list counts, and the rest.
type urlStat struct {
	count  uint64
	hist   Hist // response times, when wanted
	status [4]statusCount
	more   []statusCount     // status codes beyond the first four
	long   map[string]uint64 // status codes of more than three bytes
	big    uint64
	slow   uint64
	_      [16]byte
}

// statusCount counts one status code of one to three bytes, packed into a number.
type statusCount struct {
	key uint32
	n   uint64
}

// packStatus packs a status code of one to three bytes into a non-zero key; it
// returns 0 for other lengths.
func packStatus(code []byte) uint32 {
	switch len(code) {
	case 3:
		return 3<<24 | uint32(code[0])<<16 | uint32(code[1])<<8 | uint32(code[2])
	case 2:
		return 2<<24 | uint32(code[0])<<8 | uint32(code[1])
	case 1:
		return 1<<24 | uint32(code[0])
	}
	return 0
}

// unpackStatus returns the status code packed in key.
func unpackStatus(key uint32) string {
	n := int(key >> 24)
	b := []byte{byte(key >> 16), byte(key >> 8), byte(key)}
	return string(b[3-n:])
}

func (u *urlStat) addStatus(code []byte, n uint64) {
	key := packStatus(code)
	if key == 0 {
		if u.long == nil {
			u.long = make(map[string]uint64)
		}
		u.long[string(code)] += n
		return
	}
	for i := range u.status {
		c := &u.status[i]
		if c.key == key {
			c.n += n
			return
		}
		if c.key == 0 {
			*c = statusCount{key: key, n: n}
			return
		}
	}
	for i := range u.more {
		if c := &u.more[i]; c.key == key {
			c.n += n
			return
		}
	}
	u.more = append(u.more, statusCount{key: key, n: n})
}

// statuses calls f for each status code counted.
func (u *urlStat) statuses(f func(code string, n uint64)) {
	for _, c := range u.status {
		if c.key == 0 {
			break
		}
		f(unpackStatus(c.key), c.n)
	}
	for _, c := range u.more {
		f(unpackStatus(c.key), c.n)
	}
	for code, n := range u.long {
		f(code, n)
	}
}

func (s *Set) url(path []byte) *urlStat {
	i, added := s.urls.index(path)
	if added {
		s.urlStats = append(reserve(s.urlStats, 1), urlStat{})
	}
	return &s.urlStats[i]
}

// NewSet returns empty aggregates for cfg.
func NewSet(cfg *Config) *Set {
	s := &Set{
		cfg: cfg, IPs: NewCounter(), URLs: NewCounter(), Status: NewCounter(),
		Big: NewCounter(), Slow: NewCounter(),
		Domains: NewCounter(), Crawlers: NewCounter(),
		Largest: NewTopLines(cfg.LargestN), Slowest: NewTopLines(cfg.SlowestN),
		Timeline: make(map[int64]*Bucket), URLTimes: make(map[string]*Hist),
		urls:  newKeyIndex(),
		group: make(map[string]string),
	}
	if cfg.Match != nil {
		if s.pathLit = asciiLiteral(cfg.Match); s.pathLit == nil {
			s.pathOK = newVerdicts(cfg.Match.MatchString)
		}
	}
	s.hostOK = newVerdicts(s.hostAllowed)
	s.botUA = newVerdicts(func(ua string) bool { return IsBot(cfg.BotRE, ua) })
	return s
}

// asciiLiteral returns the string re matches when it is nothing but an ASCII literal
// (no flags, classes or anchors), or nil. Such a regular expression matches exactly the
// paths that contain the literal, valid UTF-8 or not.
func asciiLiteral(re *regexp.Regexp) []byte {
	lit, complete := re.LiteralPrefix()
	if !complete || lit == "" {
		return nil
	}
	for i := 0; i < len(lit); i++ {
		if lit[i] >= utf8.RuneSelf {
			return nil
		}
	}
	return []byte(lit)
}

// pathMatches reports whether path matches --match.
func (s *Set) pathMatches(path []byte) bool {
	if s.pathLit != nil {
		return bytes.Contains(path, s.pathLit)
	}
	return s.pathOK.get(path)
}

func (s *Set) when(r *logfmt.Record) (int64, bool) {
	if r.Time == nil {
		return 0, false
	}
	if s.lastTime != nil && bytes.Equal(r.Time, s.lastTime) {
		return s.lastSec, s.lastOK
	}
	s.lastTime = append(s.lastTime[:0], r.Time...)
	s.lastSec, s.lastOK = logfmt.ParseTime(r.Time)
	return s.lastSec, s.lastOK
}

func (s *Set) statusOK(st []byte) bool {
	for _, w := range s.cfg.Status {
		if len(w) == 3 && w[1] == 'x' {
			if len(st) == 3 && st[0] == w[0] {
				return true
			}
		} else if string(st) == w {
			return true
		}
	}
	return false
}

func (s *Set) hostAllowed(h string) bool {
	a, err := netip.ParseAddr(h)
	if err != nil {
		return len(s.cfg.IPs) == 0
	}
	a = a.Unmap()
	if len(s.cfg.IPs) > 0 {
		in := false
		for _, p := range s.cfg.IPs {
			if p.Contains(a) {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	for _, p := range s.cfg.ExcludeIPs {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// IsBot reports whether a User-Agent is a crawler's: it matches the crawler pattern,
// or it is empty ("" or "-").
func IsBot(re *regexp.Regexp, ua string) bool {
	return ua == "" || ua == "-" || re != nil && re.MatchString(ua)
}

func (s *Set) groupOf(path []byte) []byte {
	if len(s.cfg.Groups) == 0 {
		return path
	}
	if g, ok := s.group[string(path)]; ok {
		if g == "" {
			return path
		}
		return []byte(g)
	}
	g := ""
	for _, gr := range s.cfg.Groups {
		if gr.RE.Match(path) {
			g = gr.Name
			break
		}
	}
	if len(s.group) < cacheLimit {
		s.group[string(path)] = g
	}
	if g == "" {
		return path
	}
	return []byte(g)
}

// Add feeds one parsed request to every wanted aggregate, after the filters.
func (s *Set) Add(r *logfmt.Record) {
	c := s.cfg
	var sec int64
	var timeOK bool
	if c.HasSince || c.HasUntil || c.Want&WantTimeline != 0 {
		sec, timeOK = s.when(r)
	}
	if c.HasSince || c.HasUntil {
		if !timeOK || c.HasSince && sec < c.Since || c.HasUntil && sec >= c.Until {
			s.Filtered++
			return
		}
	}
	if len(c.Status) > 0 && !s.statusOK(r.Status) {
		s.Filtered++
		return
	}
	if c.Match != nil && !s.pathMatches(r.Path) {
		s.Filtered++
		return
	}
	if (len(c.IPs) > 0 || len(c.ExcludeIPs) > 0) && !s.hostOK.get(r.Host) {
		s.Filtered++
		return
	}
	var bot, botKnown bool
	if c.Bots != BotsAll || c.Want&WantCrawlers != 0 {
		bot = s.botUA.get(r.UA)
		botKnown = true
		if c.Bots == BotsOnly && !bot || c.Bots == BotsExclude && bot {
			s.Filtered++
			return
		}
	}
	s.Records++
	size := r.BytesValue()
	s.Bytes += size
	url := r.Path
	if len(c.Groups) > 0 {
		url = s.groupOf(r.Path)
	}
	w := c.Want
	if w&WantIPs != 0 {
		s.IPs.Add(r.Host, 1)
	}
	if w&WantStatus != 0 {
		if st := r.Status; len(st) == 3 && st[0]-'0' < 10 && st[1]-'0' < 10 && st[2]-'0' < 10 {
			s.status3[int(st[0]-'0')*100+int(st[1]-'0')*10+int(st[2]-'0')]++
		} else {
			s.Status.Add(st, 1)
		}
	}
	// A path's statistics are looked up for every line when counts, statuses or times
	// are wanted, and otherwise only for the lines that --min-bytes or --over pick.
	var u *urlStat
	if w&(WantURLs|WantStatusList|WantURLTimes) != 0 {
		u = s.url(url)
		u.count++
	}
	if w&WantStatusList != 0 {
		u.addStatus(r.Status, 1)
	}
	if w&WantLargest != 0 && !s.Largest.Below(r.Bytes) {
		s.Largest.Offer(s.line(r.Bytes, r))
	}
	if w&WantBig != 0 && awkcompat.GreaterNum(r.Bytes, c.MinBytes) {
		if u == nil {
			u = s.url(url)
		}
		u.big++
	}
	if r.RespTime != nil {
		if w&WantSlowest != 0 && !s.Slowest.Below(r.RespTime) {
			s.Slowest.Offer(s.line(r.RespTime, r))
		}
		if w&(WantSlow|WantURLTimes) != 0 {
			v, ok := awkcompat.ParseNumber(r.RespTime)
			if w&WantSlow != 0 && awkcompat.GreaterRead(r.RespTime, v, ok, c.Over) {
				if u == nil {
					u = s.url(url)
				}
				u.slow++
			}
			if w&WantURLTimes != 0 && ok {
				u.hist.Add(toSeconds(v, c.Unit))
			}
		}
	}
	if w&WantDomains != 0 && (w != WantAll || isProxyTarget(r.Path)) {
		s.Domains.Add(Domain(r.Path), size)
	}
	if w&WantCrawlers != 0 && botKnown && bot {
		ua := r.UA
		if len(ua) == 0 {
			ua = []byte("-")
		}
		s.Crawlers.Add(ua, 1)
	}
	if w&WantTimeline != 0 {
		if !timeOK {
			s.NoTime++
		} else {
			m := sec - sec%60
			b := s.lastBucket
			if b == nil || m != s.lastMinute {
				b = s.Timeline[m]
				if b == nil {
					b = new(Bucket)
					s.Timeline[m] = b
				}
				s.lastMinute, s.lastBucket = m, b
			}
			b.Requests++
			b.Bytes += size
			if len(r.Status) == 3 {
				switch r.Status[0] {
				case '4':
					b.C4xx++
				case '5':
					b.C5xx++
				}
			}
		}
	}
}

func toSeconds(v float64, u logfmt.Unit) float64 {
	switch u {
	case logfmt.Milliseconds:
		return v / 1e3
	case logfmt.Microseconds:
		return v / 1e6
	}
	return v
}

// line builds "$X $1 $4 $7", the line of the largest and slowest recipes.
func (s *Set) line(first []byte, r *logfmt.Record) []byte {
	b := append(s.buf[:0], first...)
	b = append(b, ' ')
	b = append(b, r.Host...)
	b = append(b, ' ')
	b = append(b, r.Stamp...)
	b = append(b, ' ')
	b = append(b, r.Path...)
	s.buf = b
	return b
}

// isProxyTarget reports whether a request target is a proxy's: an absolute URL or a
// CONNECT host:port. The all-in-one report counts domains only for those.
func isProxyTarget(t []byte) bool {
	return bytes.Contains(t, []byte("://")) || len(t) > 0 && bytes.IndexByte(t, '/') < 0
}

// Domain returns the domain a Squid request's bytes count under: the host of an
// absolute URL as the recipe's `FS="[ /]"` split finds it (the third '/'-separated
// part), and for a CONNECT target "host:port" (no '/', which the recipe files under
// an empty domain) the host.
func Domain(target []byte) []byte {
	if bytes.IndexByte(target, '/') < 0 {
		if i := bytes.LastIndexByte(target, ':'); i >= 0 && bytes.IndexByte(target[i:], ']') < 0 {
			return target[:i]
		}
		return target
	}
	for k := 0; k < 2; k++ {
		i := bytes.IndexByte(target, '/')
		if i < 0 {
			return nil
		}
		target = target[i+1:]
	}
	if i := bytes.IndexByte(target, '/'); i >= 0 {
		return target[:i]
	}
	return target
}

// Merge adds o into s. The per-path statistics, the larger part, merge in a goroutine
// of their own beside the rest: the merge runs after the scan, on one core, and
// took 5 % of a report's wall time.
func (s *Set) Merge(o *Set) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range o.urlStats {
			ou := &o.urlStats[i]
			u := s.url(o.urls.key(i))
			u.count += ou.count
			u.big += ou.big
			u.slow += ou.slow
			ou.statuses(func(code string, n uint64) { u.addStatus([]byte(code), n) })
			u.hist.Merge(&ou.hist)
		}
	}()
	defer func() { <-done }()
	s.Records += o.Records
	s.Filtered += o.Filtered
	s.NoTime += o.NoTime
	s.Bytes += o.Bytes
	s.IPs.Merge(o.IPs)
	s.Status.Merge(o.Status)
	for i, n := range o.status3 {
		s.status3[i] += n
	}
	s.Domains.Merge(o.Domains)
	s.Crawlers.Merge(o.Crawlers)
	s.Largest.Merge(o.Largest)
	s.Slowest.Merge(o.Slowest)
	for k, b := range o.Timeline {
		if m := s.Timeline[k]; m != nil {
			m.Requests += b.Requests
			m.C4xx += b.C4xx
			m.C5xx += b.C5xx
			m.Bytes += b.Bytes
		} else {
			s.Timeline[k] = b
		}
	}
}

// Finish fills the per-path counters (URLs, Big, Slow, URLTimes) from the per-path
// statistics; call it once, after the last Merge.
func (s *Set) Finish() {
	s.URLs, s.Big, s.Slow = NewCounter(), NewCounter(), NewCounter()
	s.URLTimes = make(map[string]*Hist)
	for i, n := range s.status3 {
		if n > 0 {
			s.Status.AddString(strconv.Itoa(1000 + i)[1:], n)
			s.status3[i] = 0
		}
	}
	// The path counts in a goroutine beside the rest (the keys are only read).
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range s.urlStats {
			if n := s.urlStats[i].count; n > 0 {
				s.URLs.Add(s.urls.key(i), n)
			}
		}
	}()
	defer func() { <-done }()
	for i := range s.urlStats {
		u := &s.urlStats[i]
		k := s.urls.key(i)
		if u.big > 0 {
			s.Big.Add(k, u.big)
		}
		if u.slow > 0 {
			s.Slow.Add(k, u.slow)
		}
		if u.hist.N() > 0 {
			s.URLTimes[string(k)] = &u.hist
		}
	}
}

// StatusList returns the status-list recipe's lines, "$9 $7", each with the number of
// requests that had it, in no particular order. The keys are distinct: a status code
// is one field, so "code path" splits one way only.
func (s *Set) StatusList() []Entry {
	var out []Entry
	var b []byte
	for i := range s.urlStats {
		k := s.urls.key(i)
		s.urlStats[i].statuses(func(code string, n uint64) {
			b = append(append(append(b[:0], code...), ' '), k...)
			out = append(out, Entry{Key: string(b), Count: n})
		})
	}
	return out
}

// WithStatus returns the paths requested with the status code, each with the number
// of such requests, in no particular order.
func (s *Set) WithStatus(code string) []Entry {
	var out []Entry
	for i := range s.urlStats {
		s.urlStats[i].statuses(func(c string, n uint64) {
			if c == code {
				out = append(out, Entry{Key: string(s.urls.key(i)), Count: n})
			}
		})
	}
	return out
}
