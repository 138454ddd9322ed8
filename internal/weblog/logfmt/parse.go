package logfmt

import (
	"bytes"
	"fmt"
)

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// Parse splits line (without its newline) into r following the plan. Every slice in r
// points into line. A line that does not fit the plan returns an error wrapping
// ErrMalformed; Parse never panics.
func (p *Plan) Parse(line []byte, r *Record) error {
	return p.parse(line, r, p.combined)
}

// parse is Parse with the choice of the specialised combined-family parser (fast) or
// the generic walk over the plan's elements.
func (p *Plan) parse(line []byte, r *Record, fast bool) error {
	*r = Record{}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(line) == 0 {
		return fmt.Errorf("%w: empty line", ErrMalformed)
	}
	var err error
	switch {
	case fast:
		err = p.parseCombined(line, r)
	case p.tokens != nil:
		err = p.parseTokens(line, r)
	default:
		err = p.parseElems(line, r)
	}
	if err != nil {
		return err
	}
	return r.check()
}

// check rejects records whose status or size are not what a server writes.
func (r *Record) check() error {
	if r.Status != nil {
		if len(r.Status) == 0 || !allDigits(r.Status) {
			return fmt.Errorf("%w: status %q is not a number", ErrMalformed, r.Status)
		}
	}
	if r.Bytes != nil && !(len(r.Bytes) == 1 && r.Bytes[0] == '-') {
		if len(r.Bytes) == 0 || !allDigits(r.Bytes) {
			return fmt.Errorf("%w: size %q is not a number", ErrMalformed, r.Bytes)
		}
	}
	if r.Host != nil && len(r.Host) == 0 {
		return fmt.Errorf("%w: empty client address", ErrMalformed)
	}
	return nil
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (r *Record) set(f field, v []byte, line []byte, start int) {
	switch f {
	case fHost:
		r.Host = v
	case fUser:
		r.User = v
	case fTime:
		r.Time = v
		end := bytes.IndexByte(v, ' ')
		if end < 0 {
			end = len(v)
		}
		if start > 0 && line[start-1] == '[' {
			r.Stamp = line[start-1 : start+end]
		} else {
			r.Stamp = v[:end]
		}
	case fRequest:
		r.splitRequest(v)
	case fMethod:
		r.Method = v
	case fPath:
		r.Path = v
	case fProto:
		r.Proto = v
	case fStatus:
		r.Status = v
	case fSquidStatus:
		if i := bytes.LastIndexByte(v, '/'); i >= 0 {
			r.Status = v[i+1:]
		} else {
			r.Status = v
		}
	case fBytes:
		r.Bytes = v
	case fReferer:
		r.Referer = v
	case fUA:
		r.UA = v
	case fRespTime:
		r.RespTime = v
	}
}

// splitRequest splits "METHOD TARGET PROTO"; a target with blanks stays whole.
func (r *Record) splitRequest(v []byte) {
	i := bytes.IndexByte(v, ' ')
	if i < 0 {
		r.Path = v
		return
	}
	r.Method = v[:i]
	rest := v[i+1:]
	j := bytes.LastIndexByte(rest, ' ')
	if j < 0 || !bytes.HasPrefix(rest[j+1:], []byte("HTTP/")) {
		r.Path = rest
		return
	}
	r.Path, r.Proto = rest[:j], rest[j+1:]
}

func (p *Plan) parseTokens(line []byte, r *Record) error {
	pos, k := 0, 0
	for k < len(p.tokens) {
		for pos < len(line) && isBlank(line[pos]) {
			pos++
		}
		if pos == len(line) {
			break
		}
		start := pos
		for pos < len(line) && !isBlank(line[pos]) {
			pos++
		}
		r.set(p.tokens[k], line[start:pos], line, start)
		k++
	}
	if k < len(p.tokens)-2 { // Squid's last two (hierarchy, type) may be missing
		return fmt.Errorf("%w: %d fields, want %d", ErrMalformed, k, len(p.tokens))
	}
	return nil
}

func (p *Plan) parseElems(line []byte, r *Record) error {
	pos := 0
	n := len(p.elems)
	for i := 0; i < n; i++ {
		e := &p.elems[i]
		if e.isLit {
			if !hasLit(line[pos:], e.lit) {
				return fmt.Errorf("%w: expected %q at byte %d", ErrMalformed, e.lit, pos+1)
			}
			pos += len(e.lit)
			continue
		}
		var next []byte
		if i+1 < n {
			next = p.elems[i+1].lit
		}
		end := -1
		switch {
		case e.quoted:
			end = p.closingQuote(line, pos, next, i+2 == n)
		case next != nil:
			if j := bytes.IndexByte(line[pos:], next[0]); j >= 0 {
				end = pos + j
			}
		case p.trailing:
			end = len(line)
			if j := bytes.IndexAny(line[pos:], " \t"); j >= 0 {
				end = pos + j
			}
		default:
			end = len(line)
		}
		if end < 0 {
			return fmt.Errorf("%w: field %d not terminated", ErrMalformed, i+1)
		}
		r.set(e.field, line[pos:end], line, pos)
		pos = end
	}
	return p.parseRest(line, pos, r)
}

// parseRest checks what follows the last element of the plan, line[pos:]: nothing,
// or with a trailing plan blank-separated tokens, the last of them the response time
// when the plan says so.
func (p *Plan) parseRest(line []byte, pos int, r *Record) error {
	rest := line[pos:]
	if len(rest) == 0 {
		if p.trailingTime {
			return fmt.Errorf("%w: no response time at the end", ErrMalformed)
		}
		return nil
	}
	if !p.trailing || !isBlank(rest[0]) {
		return fmt.Errorf("%w: unexpected %q at byte %d", ErrMalformed, truncate(rest), pos+1)
	}
	if p.trailingTime {
		end := len(rest)
		for end > 0 && isBlank(rest[end-1]) {
			end--
		}
		start := end
		for start > 0 && !isBlank(rest[start-1]) {
			start--
		}
		if start == end {
			return fmt.Errorf("%w: no response time at the end", ErrMalformed)
		}
		r.RespTime = rest[start:end]
		if !isNumber(r.RespTime) {
			return fmt.Errorf("%w: response time %q is not a number", ErrMalformed, r.RespTime)
		}
	}
	return nil
}

// closingQuote finds the quote that ends a quoted field starting at pos: one not
// escaped by a backslash and followed by the next literal (and, when that literal
// ends the plan, by the end of the line or a blank). It returns -1 when there is none.
func (p *Plan) closingQuote(line []byte, pos int, next []byte, nextIsLast bool) int {
	for j := pos; j < len(line); j++ {
		k := bytes.IndexByte(line[j:], '"')
		if k < 0 {
			return -1
		}
		j += k
		bs := 0 // an odd run of backslashes before the quote escapes it
		for i := j - 1; i >= pos && line[i] == '\\'; i-- {
			bs++
		}
		if bs%2 == 1 || !hasLit(line[j:], next) {
			continue
		}
		after := j + len(next)
		if nextIsLast && after < len(line) && !(p.trailing && isBlank(line[after])) {
			continue
		}
		return j
	}
	return -1
}

func truncate(b []byte) []byte {
	if len(b) > 20 {
		return b[:20]
	}
	return b
}

// isNumber reports whether b is digits with at most one decimal point.
func isNumber(b []byte) bool {
	dot, digits := false, 0
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// hasLit is bytes.HasPrefix for the short literals of a plan, without a call.
func hasLit(b, lit []byte) bool {
	if len(b) < len(lit) {
		return false
	}
	for i, c := range lit {
		if b[i] != c {
			return false
		}
	}
	return true
}
