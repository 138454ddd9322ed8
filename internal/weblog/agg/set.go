package agg

import (
	"bytes"
	"net/netip"
	"regexp"

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

	IPs, URLs, Status, StatusList, Big, Slow, Domains, Crawlers *Counter
	Largest, Slowest                                            *TopLines
	Timeline                                                    map[int64]*Bucket
	URLTimes                                                    map[string]*Hist

	pathOK   map[string]bool
	hostOK   map[string]bool
	botUA    map[string]bool
	group    map[string]string
	lastTime []byte
	lastSec  int64
	lastOK   bool
	buf      []byte
}

const cacheLimit = 1 << 16

// NewSet returns empty aggregates for cfg.
func NewSet(cfg *Config) *Set {
	return &Set{
		cfg: cfg, IPs: NewCounter(), URLs: NewCounter(), Status: NewCounter(),
		StatusList: NewCounter(), Big: NewCounter(), Slow: NewCounter(),
		Domains: NewCounter(), Crawlers: NewCounter(),
		Largest: NewTopLines(cfg.LargestN), Slowest: NewTopLines(cfg.SlowestN),
		Timeline: make(map[int64]*Bucket), URLTimes: make(map[string]*Hist),
		pathOK: make(map[string]bool), hostOK: make(map[string]bool),
		botUA: make(map[string]bool), group: make(map[string]string),
	}
}

// Config returns the configuration the set was made with.
func (s *Set) Config() *Config { return s.cfg }

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

func cached(m map[string]bool, key []byte, f func(string) bool) bool {
	if v, ok := m[string(key)]; ok {
		return v
	}
	k := string(key)
	v := f(k)
	if len(m) < cacheLimit {
		m[k] = v
	}
	return v
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
	sec, timeOK := s.when(r)
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
	if c.Match != nil && !cached(s.pathOK, r.Path, c.Match.MatchString) {
		s.Filtered++
		return
	}
	if (len(c.IPs) > 0 || len(c.ExcludeIPs) > 0) && !cached(s.hostOK, r.Host, s.hostAllowed) {
		s.Filtered++
		return
	}
	var bot, botKnown bool
	if c.Bots != BotsAll || c.Want&WantCrawlers != 0 {
		bot = cached(s.botUA, r.UA, func(ua string) bool { return IsBot(c.BotRE, ua) })
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
	if w&WantURLs != 0 {
		s.URLs.Add(url, 1)
	}
	if w&WantStatus != 0 {
		s.Status.Add(r.Status, 1)
	}
	if w&WantStatusList != 0 {
		b := append(s.buf[:0], r.Status...)
		b = append(b, ' ')
		b = append(b, url...)
		s.StatusList.Add(b, 1)
		s.buf = b
	}
	if w&WantLargest != 0 {
		s.Largest.Offer(s.line(r.Bytes, r))
	}
	if w&WantBig != 0 && awkcompat.GreaterNum(r.Bytes, c.MinBytes) {
		s.Big.Add(url, 1)
	}
	if r.RespTime != nil {
		if w&WantSlowest != 0 {
			s.Slowest.Offer(s.line(r.RespTime, r))
		}
		if w&WantSlow != 0 && awkcompat.GreaterNum(r.RespTime, c.Over) {
			s.Slow.Add(url, 1)
		}
		if w&WantURLTimes != 0 {
			if v, ok := awkcompat.ParseNumber(r.RespTime); ok {
				h := s.URLTimes[string(url)]
				if h == nil {
					h = new(Hist)
					s.URLTimes[string(url)] = h
				}
				h.Add(toSeconds(v, c.Unit))
			}
		}
	}
	if w&WantDomains != 0 {
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
			b := s.Timeline[m]
			if b == nil {
				b = new(Bucket)
				s.Timeline[m] = b
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

// Merge adds o into s.
func (s *Set) Merge(o *Set) {
	s.Records += o.Records
	s.Filtered += o.Filtered
	s.NoTime += o.NoTime
	s.Bytes += o.Bytes
	s.IPs.Merge(o.IPs)
	s.URLs.Merge(o.URLs)
	s.Status.Merge(o.Status)
	s.StatusList.Merge(o.StatusList)
	s.Big.Merge(o.Big)
	s.Slow.Merge(o.Slow)
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
	for k, h := range o.URLTimes {
		if m := s.URLTimes[k]; m != nil {
			m.Merge(h)
		} else {
			s.URLTimes[k] = h
		}
	}
}
