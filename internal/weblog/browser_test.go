package weblog_test

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/internal/weblog/gen"
	"github.com/netstat-go/netstat/internal/weblog/render"
)

func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, "chromium", append(base, args...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v", args, err)
	}
	return out
}

// TestHTMLInChromium opens the report page in a real headless Chromium: the DOM it
// renders holds the three charts with bars, and the screenshot shows their colours.
func TestHTMLInChromium(t *testing.T) {
	nstest.RequireTools(t, "chromium")
	dir := t.TempDir()
	writeLog(t, filepath.Join(dir, "log"), gen.Config{Seed: 2, Lines: 20000, Clients: 300, URLs: 200, Format: gen.CombinedTime})
	page := filepath.Join(dir, "report.html")
	ours(t, dir, "report", "--html", page, "@log")
	url := "file://" + page

	dom := string(chromium(t, "--dump-dom", url))
	for _, id := range []string{"chart-requests", "chart-errors", "chart-traffic"} {
		i := strings.Index(dom, `id="`+id+`"`)
		if i < 0 {
			t.Fatalf("rendered DOM has no %s", id)
		}
		svg := dom[i:]
		svg = svg[:strings.Index(svg, "</svg>")]
		if n := strings.Count(svg, "<rect"); n < 20 {
			t.Errorf("%s has %d bars, want the timeline's", id, n)
		}
	}
	m := regexp.MustCompile(`<table id="top-ips">`).FindStringIndex(dom)
	if m == nil {
		t.Error("rendered DOM has no top-ips table")
	}

	shot := filepath.Join(dir, "shot.png")
	chromium(t, "--screenshot="+shot, "--window-size=1000,900", "--hide-scrollbars", url)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{render.ColorRequests: 0, render.Color4xx: 0, render.Color5xx: 0, render.ColorTraffic: 0}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			for c := range want {
				cr, cg, cb := hexColor(c)
				if near(r>>8, cr) && near(g>>8, cg) && near(bl>>8, cb) {
					want[c]++
				}
			}
		}
	}
	for c, n := range want {
		if n < 50 {
			t.Errorf("colour %s: %d pixels in the screenshot, want a chart's worth", c, n)
		}
	}
}

func hexColor(s string) (uint32, uint32, uint32) {
	v, _ := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	return uint32(v >> 16 & 0xff), uint32(v >> 8 & 0xff), uint32(v & 0xff)
}

func near(a, b uint32) bool { return a+6 >= b && b+6 >= a }
