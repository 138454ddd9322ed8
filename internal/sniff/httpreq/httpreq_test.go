package httpreq

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func feedAll(p *Parser, chunks ...string) []Request {
	var got []Request
	for _, c := range chunks {
		p.Feed([]byte(c), func(r Request) { got = append(got, r) })
	}
	return got
}

func TestParser(t *testing.T) {
	req := func(m, target, host, ua string) Request {
		return Request{Method: m, Target: target, Proto: "HTTP/1.1", Host: host, UserAgent: ua}
	}
	for _, tc := range []struct {
		name   string
		chunks []string
		want   []Request
	}{
		{"one", []string{"GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: bot\r\n\r\n"}, []Request{req("GET", "/", "a", "bot")}},
		{"byte by byte", strings.Split("GET /x HTTP/1.1\r\nhost: b\r\n\r\n", ""), []Request{req("GET", "/x", "b", "")}},
		{"pipelined with bodies", []string{
			"POST /a HTTP/1.1\r\nContent-Length: 28\r\n\r\nGET /fake HTTP/1.1\r\n\r\n......",
			"GET /b HTTP/1.1\r\n\r\n",
		}, []Request{req("POST", "/a", "", ""), req("GET", "/b", "", "")}},
		{"chunked", []string{
			"POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nGET /\r\n",
			"10;ext=1\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\nGET /d HTTP/1.1\r\n\r\n",
		}, []Request{req("POST", "/c", "", ""), req("GET", "/d", "", "")}},
		{"starts mid-request", []string{"ent: x\r\n\r\nGET /e HTTP/1.1\r\n\r\n"}, []Request{req("GET", "/e", "", "")}},
		{"not HTTP", []string{"\x16\x03\x01\x00\x05hello\r\n\r\n"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Parser
			if diff := cmp.Diff(tc.want, feedAll(&p, tc.chunks...)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestGapResync(t *testing.T) {
	var p Parser
	got := feedAll(&p, "GET /1 HTTP/1.1\r\nHost: a\r\n")
	p.Gap()
	got = append(got, feedAll(&p, "X: y\r\n\r\nGET /2 HTTP/1.0\r\n\r\n")...)
	want := []Request{{Method: "GET", Target: "/2", Proto: "HTTP/1.0"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestBounded(t *testing.T) {
	var p Parser
	got := feedAll(&p, "GET / HTTP/1.1\r\n", strings.Repeat("X: y\r\n", MaxHeader/6+10))
	if len(got) != 0 || len(p.buf) > MaxHeader+1 {
		t.Errorf("held %d bytes, got %v", len(p.buf), got)
	}
	got = feedAll(&p, "\r\n\r\nGET /ok HTTP/1.1\r\n\r\n")
	if len(got) != 1 || got[0].Target != "/ok" {
		t.Errorf("after an oversized header: %v", got)
	}
}

func FuzzParser(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcPOST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"), 7)
	f.Add([]byte("garbage\nGET /y HTTP/1.0\r\n\r\n"), 3)
	f.Fuzz(func(t *testing.T, b []byte, split int) {
		var p Parser
		if split < 0 || split > len(b) {
			split = len(b) / 2
		}
		emit := func(r Request) {
			if r.Method == "" || r.Target == "" {
				t.Fatalf("empty request %+v", r)
			}
		}
		p.Feed(b[:split], emit)
		p.Feed(b[split:], emit)
		if len(p.buf) > MaxHeader+1 {
			t.Fatalf("buffer of %d bytes", len(p.buf))
		}
	})
}
