// Package httpreq frames HTTP/1.x requests in the client's half of a TCP stream: it
// finds each request line and its headers, skips the body (Content-Length or
// chunked), and resynchronises on the next request line after a gap or when a
// capture starts mid-request. It is pure and bounded: bytes in, requests out.
package httpreq

import (
	"bytes"
	"strconv"
)

// MaxHeader caps the bytes of one request's line and headers; a longer block is
// dropped and the parser looks for the next request line.
const MaxHeader = 64 << 10

// Request is what the recipes use of one HTTP request.
type Request struct {
	Method, Target, Proto string
	Host, UserAgent       string
}

// Parser frames requests from one client stream. The zero value is ready and starts
// unsynchronised: it waits for a request line.
type Parser struct {
	buf     []byte
	synced  bool
	body    int64 // body bytes still to skip
	chunked bool
	chunk   chunkState
}

type chunkState struct {
	inData bool  // skipping chunk data (plus its CRLF)
	left   int64 // bytes of chunk data + CRLF left
	trail  bool  // reading trailers after the last chunk
}

// Gap reports missing bytes: the parser drops what it holds and waits for the next
// request line.
func (p *Parser) Gap() {
	p.buf, p.synced, p.body, p.chunked, p.chunk = p.buf[:0], false, 0, false, chunkState{}
}

// Feed adds the stream's next bytes and calls emit for every complete request.
func (p *Parser) Feed(b []byte, emit func(Request)) {
	for len(b) > 0 {
		// Skip a body without buffering it.
		if p.body > 0 && len(p.buf) == 0 {
			n := min(p.body, int64(len(b)))
			p.body -= n
			b = b[n:]
			continue
		}
		take := len(b)
		if room := MaxHeader + 1 - len(p.buf); take > room {
			take = room
		}
		p.buf = append(p.buf, b[:take]...)
		b = b[take:]
		p.process(emit)
	}
}

// process consumes what it can from buf.
func (p *Parser) process(emit func(Request)) {
	for {
		if p.body > 0 {
			n := min(p.body, int64(len(p.buf)))
			p.body -= n
			p.consume(int(n))
			if p.body > 0 {
				return
			}
		}
		if p.chunked {
			if !p.skipChunks() {
				return
			}
			continue
		}
		if !p.synced {
			if !p.resync() {
				return
			}
		}
		end := bytes.Index(p.buf, []byte("\r\n\r\n"))
		if end < 0 {
			if len(p.buf) > MaxHeader {
				p.Gap()
			}
			return
		}
		req, body, chunked, ok := parseHead(p.buf[:end+2])
		p.consume(end + 4)
		if !ok {
			p.synced = false
			continue
		}
		emit(req)
		p.body, p.chunked = body, chunked
	}
}

func (p *Parser) consume(n int) {
	m := copy(p.buf, p.buf[n:])
	p.buf = p.buf[:m]
}

// resync drops bytes up to the first line that looks like a request line.
func (p *Parser) resync() bool {
	for {
		nl := bytes.IndexByte(p.buf, '\n')
		if nl < 0 {
			if len(p.buf) > MaxHeader {
				p.buf = p.buf[:0]
			}
			return false
		}
		if _, ok := parseRequestLine(p.buf[:nl+1]); ok {
			p.synced = true
			return true
		}
		p.consume(nl + 1)
	}
}

// skipChunks skips a chunked body; it reports whether the body ended.
func (p *Parser) skipChunks() bool {
	c := &p.chunk
	for {
		if c.inData {
			n := min(c.left, int64(len(p.buf)))
			c.left -= n
			p.consume(int(n))
			if c.left > 0 {
				return false
			}
			c.inData = false
		}
		nl := bytes.IndexByte(p.buf, '\n')
		if nl < 0 {
			if len(p.buf) > MaxHeader {
				p.Gap()
			}
			return false
		}
		line := bytes.TrimRight(p.buf[:nl], "\r")
		if c.trail {
			p.consume(nl + 1)
			if len(line) == 0 {
				p.chunked, p.chunk = false, chunkState{}
				return true
			}
			continue
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		size, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		p.consume(nl + 1)
		if err != nil || size < 0 || size > 1<<40 {
			p.chunked, p.chunk, p.synced = false, chunkState{}, false
			return true
		}
		if size == 0 {
			c.trail = true
			continue
		}
		c.inData, c.left = true, size+2
	}
}

// parseRequestLine reads "METHOD SP TARGET SP HTTP/1.x CRLF".
func parseRequestLine(line []byte) (Request, bool) {
	line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
	m, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(m) == 0 || len(m) > 20 {
		return Request{}, false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return Request{}, false
		}
	}
	i := bytes.LastIndexByte(rest, ' ')
	if i <= 0 {
		return Request{}, false
	}
	target, proto := rest[:i], rest[i+1:]
	if !bytes.Equal(proto, []byte("HTTP/1.1")) && !bytes.Equal(proto, []byte("HTTP/1.0")) {
		return Request{}, false
	}
	if bytes.ContainsAny(target, " \r\n") {
		return Request{}, false
	}
	return Request{Method: string(m), Target: string(target), Proto: string(proto)}, true
}

// parseHead reads a request line and headers (ending in CRLF). It returns the body
// length to skip, or chunked.
func parseHead(head []byte) (req Request, body int64, chunked, ok bool) {
	nl := bytes.IndexByte(head, '\n')
	req, ok = parseRequestLine(head[:nl+1])
	if !ok {
		return req, 0, false, false
	}
	rest := head[nl+1:]
	for len(rest) > 0 {
		nl := bytes.IndexByte(rest, '\n')
		if nl < 0 {
			break
		}
		line := bytes.TrimSuffix(rest[:nl], []byte("\r"))
		rest = rest[nl+1:]
		name, value, found := bytes.Cut(line, []byte(":"))
		if !found {
			continue
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Host")):
			req.Host = string(value)
		case bytes.EqualFold(name, []byte("User-Agent")):
			req.UserAgent = string(value)
		case bytes.EqualFold(name, []byte("Content-Length")):
			if n, err := strconv.ParseInt(string(value), 10, 64); err == nil && n >= 0 {
				body = n
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if bytes.Contains(bytes.ToLower(value), []byte("chunked")) {
				chunked = true
			}
		}
	}
	if chunked {
		body = 0
	}
	return req, body, chunked, true
}
