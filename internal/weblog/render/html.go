package render

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"strings"
	"sync"
	"time"
)

// Chart colours; the browser test looks for them in a screenshot.
const (
	ColorRequests = "#1f77b4"
	Color4xx      = "#ff7f0e"
	Color5xx      = "#d62728"
	ColorTraffic  = "#2ca02c"
)

type series struct {
	name  string
	color string
	vals  []float64
}

// svgChart draws series as filled step areas over the timeline, with axes and labels;
// everything inline, no script, no network.
func svgChart(id, title string, pts []Point, ss []series, unit string) template.HTML {
	const w, h, left, bottom, top = 900.0, 220.0, 70.0, 30.0, 24.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg id="%s" class="chart" xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" role="img" aria-label="%s">`, id, w, h, w, h, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="%g" y="16" font-size="14" font-family="sans-serif">%s</text>`, left, html.EscapeString(title))
	maxV := 0.0
	for _, s := range ss {
		for _, v := range s.vals {
			maxV = max(maxV, v)
		}
	}
	if maxV == 0 {
		maxV = 1
	}
	n := len(pts)
	plotW, plotH := w-left-10, h-top-bottom
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#444"/>`, left, h-bottom, w-10, h-bottom)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#444"/>`, left, top, left, h-bottom)
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" text-anchor="end" font-family="sans-serif">%s</text>`, left-4, top+10, html.EscapeString(human(maxV)+unit))
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" text-anchor="end" font-family="sans-serif">0</text>`, left-4, h-bottom)
	if n > 0 {
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" font-family="sans-serif">%s</text>`, left, h-8, stamp(pts[0].Start))
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="11" text-anchor="end" font-family="sans-serif">%s</text>`, w-10, h-8, stamp(pts[n-1].Start))
		bw := plotW / float64(n)
		for si, s := range ss {
			fmt.Fprintf(&b, `<g class="series" data-series="%s" fill="%s">`, html.EscapeString(s.name), s.color)
			for i, v := range s.vals {
				if v <= 0 {
					continue
				}
				bh := v / maxV * plotH
				// Several series share a bucket side by side.
				sw := bw / float64(len(ss))
				fmt.Fprintf(&b, `<rect x="%.2f" y="%.2f" width="%.2f" height="%.2f"><title>%s %s: %s</title></rect>`,
					left+float64(i)*bw+float64(si)*sw, h-bottom-bh, max(sw*0.9, 1), bh, stamp(pts[i].Start), html.EscapeString(s.name), human(v))
			}
			b.WriteString(`</g>`)
		}
	}
	for i, s := range ss {
		x := w - 10 - float64(len(ss)-i)*110
		fmt.Fprintf(&b, `<rect x="%g" y="6" width="12" height="12" fill="%s"/><text x="%g" y="16" font-size="12" font-family="sans-serif">%s</text>`, x, s.color, x+16, html.EscapeString(s.name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func stamp(sec int64) string { return time.Unix(sec, 0).UTC().Format("2006-01-02 15:04") }

func human(v float64) string {
	switch {
	case v >= 1<<30:
		return fmt.Sprintf("%.1fG", v/(1<<30))
	case v >= 1<<20:
		return fmt.Sprintf("%.1fM", v/(1<<20))
	case v >= 10000:
		return fmt.Sprintf("%.1fk", v/1000)
	}
	return fmt.Sprintf("%g", v)
}

// page is parsed on first use, not at start-up: every run of the binary (a
// `netstat -tulpn` too) would otherwise parse it.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("page").Parse(pageText))
})

const pageText = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>netstat weblog report</title>
<style>
body{font-family:sans-serif;margin:1.5em;color:#222;background:#fff}
table{border-collapse:collapse;margin:0 0 1.5em}
td,th{border:1px solid #ccc;padding:2px 8px;font-size:13px}
td.n{text-align:right;font-variant-numeric:tabular-nums}
h2{font-size:16px;margin:1.2em 0 .4em}
.grid{display:flex;flex-wrap:wrap;gap:2em}
</style></head><body>
<h1>Access log report</h1>
<p id="summary">{{.S.Meta.Lines}} lines ({{.S.Meta.Malformed}} malformed), format {{.S.Meta.Format}}; {{.S.Requests}} requests{{if .S.Filtered}}, {{.S.Filtered}} filtered out{{end}}; {{.S.GiB}} GiB sent.</p>
{{.Requests}}
{{.Errors}}
{{.Traffic}}
<div class="grid">
<div><h2>Status codes</h2><table id="status"><tr><th>status</th><th>requests</th></tr>{{range .S.Status}}<tr><td>{{.Key}}</td><td class="n">{{.Count}}</td></tr>{{end}}</table></div>
<div><h2>Top client addresses</h2><table id="top-ips"><tr><th>address</th><th>requests</th></tr>{{range .S.TopIPs}}<tr><td>{{.Key}}</td><td class="n">{{.Count}}</td></tr>{{end}}</table></div>
<div><h2>Top pages</h2><table id="top-urls"><tr><th>path</th><th>requests</th></tr>{{range .S.TopURLs}}<tr><td>{{.Key}}</td><td class="n">{{.Count}}</td></tr>{{end}}</table></div>
<div><h2>Not found (404)</h2><table id="not-found"><tr><th>path</th><th>requests</th></tr>{{range .S.Errors}}<tr><td>{{.Key}}</td><td class="n">{{.Count}}</td></tr>{{end}}</table></div>
{{if .S.URLTimes}}<div><h2>Response times (s)</h2><table id="response-times"><tr><th>path</th><th>count</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>{{range .S.URLTimes}}<tr><td>{{.Path}}</td><td class="n">{{.Count}}</td><td class="n">{{printf "%.3f" .P50}}</td><td class="n">{{printf "%.3f" .P95}}</td><td class="n">{{printf "%.3f" .P99}}</td><td class="n">{{printf "%.3f" .Max}}</td></tr>{{end}}</table></div>{{end}}
<div><h2>Largest transfers</h2><table id="largest">{{range .S.Largest}}<tr><td>{{.}}</td></tr>{{end}}</table></div>
<div><h2>Crawlers</h2><table id="crawlers"><tr><th>User-Agent</th><th>requests</th></tr>{{range .S.Crawlers}}<tr><td>{{.Key}}</td><td class="n">{{.Count}}</td></tr>{{end}}</table></div>
{{if .Domains}}<div><h2>Bytes per domain</h2><table id="domains"><tr><th>domain</th><th>bytes</th></tr>{{range .S.Domains}}<tr><td>{{.Key}}</td><td class="n">{{.Count}}</td></tr>{{end}}</table></div>{{end}}
</div></body></html>
`

// HTML writes the summary as a self-contained page: tables and inline SVG charts of
// requests, errors and traffic over time. It needs no network and no script.
func HTML(w io.Writer, s *Summary) error {
	n := len(s.Timeline)
	req, e4, e5, tr := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, p := range s.Timeline {
		req[i], e4[i], e5[i], tr[i] = float64(p.Requests), float64(p.C4xx), float64(p.C5xx), float64(p.Bytes)
	}
	per := fmt.Sprintf(" per %d min", s.BucketSecs/60)
	hasDomains := false
	for _, d := range s.Domains {
		if d.Key != "" && strings.Contains(s.Meta.Format, "squid") {
			hasDomains = true
		}
	}
	return page().Execute(w, map[string]any{
		"S":        s,
		"Requests": svgChart("chart-requests", "Requests"+per, s.Timeline, []series{{"requests", ColorRequests, req}}, ""),
		"Errors":   svgChart("chart-errors", "Errors"+per, s.Timeline, []series{{"4xx", Color4xx, e4}, {"5xx", Color5xx, e5}}, ""),
		"Traffic":  svgChart("chart-traffic", "Traffic"+per, s.Timeline, []series{{"bytes", ColorTraffic, tr}}, "B"),
		"Domains":  hasDomains,
	})
}
