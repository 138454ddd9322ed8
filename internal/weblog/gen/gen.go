// Package gen writes deterministic synthetic access logs (combined, combined with a
// trailing response time, Squid combined) together with their ground truth, for the
// tests and the benchmark. The same Config always yields the same bytes.
package gen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

// Format is the layout of the generated lines.
type Format int

// Formats.
const (
	Combined      Format = iota
	CombinedTime         // combined plus a trailing response time in seconds
	SquidCombined        // Squid's combined logformat, with absolute URLs and CONNECT
)

// Config describes a log.
type Config struct {
	Seed    uint64
	Lines   int
	Clients int
	URLs    int
	Format  Format
	Start   time.Time     // time of the first line (default 2026-12-06 00:00 UTC)
	Span    time.Duration // time covered (default 6h)
}

// Truth is what the log contains, counted while writing it.
type Truth struct {
	Lines   uint64
	IPs     map[string]uint64
	URLs    map[string]uint64 // by request target ($7)
	Status  map[string]uint64
	Bytes   uint64
	Domains map[string]uint64 // Squid: bytes per domain, CONNECT under its host
	Bots    uint64            // requests with a crawler or empty User-Agent
}

var browsers = []string{
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
	"curl/8.5.0",
}

var bots = []string{
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
	"Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
	"Baiduspider+(+http://www.baidu.com/search/spider.htm)",
	"-",
}

var domains = []string{"www.example.com", "cdn.example.net", "api.example.org", "updates.example.com", "img.example.com", "tracker.example.io"}

// Generator writes one log.
type Generator struct {
	cfg     Config
	rnd     *rand.Rand
	clients []string
	urls    []string
	zipfC   *rand.Zipf
	zipfU   *rand.Zipf
	Truth   Truth
}

// New returns a generator for cfg.
func New(cfg Config) *Generator {
	if cfg.Clients <= 0 {
		cfg.Clients = 100
	}
	if cfg.URLs <= 0 {
		cfg.URLs = 100
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	}
	if cfg.Span == 0 {
		cfg.Span = 6 * time.Hour
	}
	r := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	g := &Generator{cfg: cfg, rnd: r}
	for i := 0; i < cfg.Clients; i++ {
		if i%5 == 4 {
			g.clients = append(g.clients, fmt.Sprintf("2001:db8:%x::%x", i/256, i%256+1))
		} else {
			g.clients = append(g.clients, fmt.Sprintf("%d.%d.%d.%d", 10+i%3, i/65536%256, i/256%256, i%256))
		}
	}
	for i := 0; i < cfg.URLs; i++ {
		var u string
		switch i % 10 {
		case 0:
			u = fmt.Sprintf("/downloads/setup-%d.exe", i)
		case 1, 2:
			u = fmt.Sprintf("/app/page%d.php?id=%d", i, i*7)
		case 3:
			u = fmt.Sprintf("/img/%d.png", i)
		case 4:
			u = fmt.Sprintf("/static/app.%d.js", i)
		case 5:
			u = fmt.Sprintf("/api/v1/items/%d", i)
		case 6:
			u = fmt.Sprintf("/index%d.php", i)
		default:
			u = fmt.Sprintf("/blog/%d/post-%d.html", 2020+i%6, i)
		}
		if cfg.Format == SquidCombined {
			u = "http://" + domains[i%len(domains)] + u
		}
		g.urls = append(g.urls, u)
	}
	g.zipfC = rand.NewZipf(r, 1.1, 4, uint64(cfg.Clients-1))
	g.zipfU = rand.NewZipf(r, 1.05, 8, uint64(cfg.URLs-1))
	g.Truth = Truth{IPs: map[string]uint64{}, URLs: map[string]uint64{}, Status: map[string]uint64{}, Domains: map[string]uint64{}}
	return g
}

// tieClients each get exactly tieCount requests at the start of the log, so that
// equal counts exercise sort's tie order.
const tieCount = 3

// WriteTo writes the log to w.
func (g *Generator) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := &countWriter{w: bw}
	c := g.cfg
	step := c.Span / time.Duration(max(c.Lines, 1))
	var line []byte
	for i := 0; i < c.Lines; i++ {
		t := c.Start.Add(step * time.Duration(i))
		line = g.line(line[:0], i, t)
		if _, err := cw.Write(line); err != nil {
			return cw.n, err
		}
	}
	if err := bw.Flush(); err != nil {
		return cw.n, err
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (g *Generator) line(b []byte, i int, t time.Time) []byte {
	r := g.rnd
	var client string
	if i < 8*tieCount {
		client = fmt.Sprintf("192.0.2.%d", i/tieCount+1) // 8 clients with equal counts
	} else {
		client = g.clients[g.zipfC.Uint64()]
	}
	u := g.zipfU.Uint64()
	target := g.urls[u]
	method := "GET"
	status := 200
	var size uint64
	dash := false
	switch p := r.IntN(100); {
	case p < 4:
		status = 404
		target = fmt.Sprintf("/missing/%d", r.IntN(50))
		if g.cfg.Format == SquidCombined {
			target = "http://" + domains[r.IntN(len(domains))] + target
		}
	case p < 5:
		status = 500 + r.IntN(4)
	case p < 10:
		status = 304
		dash = r.IntN(2) == 0
	case p < 13:
		method = "HEAD"
	case p < 15:
		method = "POST"
		status = 201
	case p < 16:
		status = 301
	}
	switch {
	case status == 304 || method == "HEAD":
	case u%10 == 0 && status == 200:
		size = 150000 + uint64(r.IntN(5_000_000))
		if r.IntN(200) == 0 {
			size = 700_000_000 + uint64(r.IntN(100_000_000)) // an ISO now and then: sums pass 2^31
		}
	default:
		size = 200 + uint64(r.IntN(60000))
	}
	if !dash && size == 0 && r.IntN(3) == 0 {
		dash = true
	}
	connect := false
	if g.cfg.Format == SquidCombined && r.IntN(3) < 2 && status == 200 && method == "GET" {
		connect = true
		method = "CONNECT"
		target = domains[r.IntN(len(domains))] + ":443"
		size = 1000 + uint64(r.IntN(3_000_000))
		if r.IntN(300) == 0 {
			size = 3_000_000_000 + uint64(r.IntN(1_000_000)) // one tunnel alone above 2^31
		}
		dash = false
	}
	ua := browsers[r.IntN(len(browsers))]
	if r.IntN(10) == 0 {
		ua = bots[r.IntN(len(bots))]
		g.Truth.Bots++
	}
	ref := "-"
	if r.IntN(2) == 0 {
		ref = "https://www.example.com/blog/2026/12/a-longer-article-title-from-the-front-page?utm_source=feed"
	}
	b = append(b, client...)
	b = append(b, " - - ["...)
	b = t.AppendFormat(b, "02/Jan/2006:15:04:05 -0700")
	b = append(b, "] \""...)
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, target...)
	b = append(b, " HTTP/1.1\" "...)
	b = fmt.Appendf(b, "%d ", status)
	if dash {
		b = append(b, '-')
		size = 0
	} else {
		b = fmt.Appendf(b, "%d", size)
	}
	b = fmt.Appendf(b, " %q %q", ref, ua)
	switch g.cfg.Format {
	case CombinedTime:
		rt := float64(r.IntN(400)) / 1000
		if u%10 == 1 || u%10 == 6 { // .php pages: some slow ones, a few at exactly 60 s
			switch q := r.IntN(100); {
			case q < 3:
				rt = 60
			case q < 10:
				rt = 20 + float64(r.IntN(100_000))/1000
			}
		}
		b = fmt.Appendf(b, " %.3f", rt)
	case SquidCombined:
		if connect {
			b = append(b, " TCP_TUNNEL:HIER_DIRECT"...)
		} else {
			b = append(b, " TCP_MISS:HIER_DIRECT"...)
		}
	}
	b = append(b, '\n')
	tr := &g.Truth
	tr.Lines++
	tr.IPs[client]++
	tr.URLs[target]++
	tr.Status[fmt.Sprint(status)]++
	tr.Bytes += size
	if g.cfg.Format == SquidCombined {
		d := target
		if connect {
			d = target[:len(target)-4]
		} else {
			d = target[len("http://"):]
			for k := 0; k < len(d); k++ {
				if d[k] == '/' {
					d = d[:k]
					break
				}
			}
		}
		tr.Domains[d] += size
	}
	return b
}
