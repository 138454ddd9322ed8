package logfmt

import (
	"bytes"
	"fmt"
	"math/bits"
)

// Fields is a set of the fields of a Record, in the order they appear in a line of
// the combined family (common, combined, combined with a response time, Squid
// combined).
type Fields uint16

// Record fields, in line order.
const (
	FieldHost     Fields = 1 << iota   // Host
	FieldUser                          // User
	FieldTime                          // Time and Stamp
	FieldRequest                       // Method, Path and Proto
	FieldStatus                        // Status
	FieldBytes                         // Bytes
	FieldReferer                       // Referer
	FieldUA                            // UA
	FieldRespTime                      // RespTime, and whatever trails the User-Agent
	AllFields     Fields = 1<<iota - 1 // every field
)

// last returns the last field of f in line order (FieldHost when f is empty).
func (f Fields) last() Fields {
	if f == 0 {
		return FieldHost
	}
	return 1 << (bits.Len16(uint16(f)) - 1)
}

// Needing returns a copy of p that may stop reading a line once it has the fields in
// f. A built-in plan of the combined family then leaves the fields after the last one
// of f nil and does not check them (a line malformed only after them is not
// malformed to it); every field up to that one is split and checked exactly as with
// all fields, though a request line not in f is not split into method, path and
// protocol (they stay nil). It never stops before the response size (FieldBytes):
// the first seven fields are short, and checking them keeps a line that is no log
// line at all malformed to every report. Other plans read every field.
func (p *Plan) Needing(f Fields) *Plan {
	q := *p
	q.need, q.last = f, max(f.last(), FieldBytes)
	return &q
}

// The literals of the combined family after the client address.
var (
	litUserEnd    = []byte(" [")
	litTimeEnd    = []byte(`] "`)
	litRequestEnd = []byte(`" `)
	litBytesEnd   = []byte(` "`)
	litRefererEnd = []byte(`" "`)
	litQuote      = []byte(`"`)
)

// The 1-based numbers of the fields' elements in the plan, for the errors parseElems
// returns.
const (
	elemHost      = 1
	elemIdent     = 3
	elemUser      = 5
	elemTime      = 7
	elemRequest   = 9
	elemStatus    = 11
	elemBytes     = 13
	elemReferer   = 15
	elemUserAgent = 17

	errNotTermFmt  = "%w: field %d not terminated"
	errExpectedFmt = "%w: expected %q at byte %d"
)

// parseCombined is parseElems specialised for the built-in plans of the combined
// family (`%h %l %u %t "%r" %>s %b` and, unless common, ` "%{Referer}i"
// "%{User-Agent}i"` and what trails): the same fields and errors, found with
// bytes.IndexByte instead of a walk over the plan, stopping after p.last.
func (p *Plan) parseCombined(line []byte, r *Record) error {
	last := p.last
	j := bytes.IndexByte(line, ' ')
	if j < 0 {
		return fmt.Errorf(errNotTermFmt, ErrMalformed, elemHost)
	}
	r.Host = line[:j]
	pos := j + 1
	if j = spaceAfterDash(line[pos:]); j < 0 { // %l
		return fmt.Errorf(errNotTermFmt, ErrMalformed, elemIdent)
	}
	pos += j + 1
	if j = spaceAfterDash(line[pos:]); j < 0 {
		return fmt.Errorf(errNotTermFmt, ErrMalformed, elemUser)
	}
	r.User = line[pos : pos+j]
	pos += j
	if !hasLit(line[pos:], litUserEnd) {
		return fmt.Errorf(errExpectedFmt, ErrMalformed, litUserEnd, pos+1)
	}
	pos += len(litUserEnd)
	if j = bytes.IndexByte(line[pos:], ']'); j < 0 {
		return fmt.Errorf(errNotTermFmt, ErrMalformed, elemTime)
	}
	r.set(fTime, line[pos:pos+j], line, pos)
	pos += j
	if !hasLit(line[pos:], litTimeEnd) {
		return fmt.Errorf(errExpectedFmt, ErrMalformed, litTimeEnd, pos+1)
	}
	pos += len(litTimeEnd)
	end := p.closingQuote(line, pos, litRequestEnd, false)
	if end < 0 {
		return fmt.Errorf(errNotTermFmt, ErrMalformed, elemRequest)
	}
	if p.need&FieldRequest != 0 {
		r.splitRequest(line[pos:end])
	}
	pos = end + len(litRequestEnd)
	if j = spaceAfterDigits(line[pos:]); j < 0 {
		return fmt.Errorf(errNotTermFmt, ErrMalformed, elemStatus)
	}
	r.Status = line[pos : pos+j]
	pos += j + 1
	if p.common {
		r.Bytes = line[pos:]
		return nil
	}
	if j = spaceAfterDigits(line[pos:]); j < 0 {
		return fmt.Errorf(errNotTermFmt, ErrMalformed, elemBytes)
	}
	r.Bytes = line[pos : pos+j]
	pos += j
	if !hasLit(line[pos:], litBytesEnd) {
		return fmt.Errorf(errExpectedFmt, ErrMalformed, litBytesEnd, pos+1)
	}
	pos += len(litBytesEnd)
	if last == FieldBytes {
		return nil
	}
	if end = p.closingQuote(line, pos, litRefererEnd, false); end < 0 {
		return fmt.Errorf(errNotTermFmt, ErrMalformed, elemReferer)
	}
	r.Referer = line[pos:end]
	pos = end + len(litRefererEnd)
	if last == FieldReferer {
		return nil
	}
	if end = p.closingQuote(line, pos, litQuote, true); end < 0 {
		return fmt.Errorf(errNotTermFmt, ErrMalformed, elemUserAgent)
	}
	r.UA = line[pos:end]
	pos = end + len(litQuote)
	if last == FieldUA {
		return nil
	}
	return p.parseRest(line, pos, r)
}

// spaceAfterDash is bytes.IndexByte(b, ' ') that recognises the usual "-" field (%l,
// %u) without a call.
func spaceAfterDash(b []byte) int {
	if len(b) >= 2 && b[0] == '-' && b[1] == ' ' {
		return 1
	}
	return bytes.IndexByte(b, ' ')
}

// spaceAfterDigits is bytes.IndexByte(b, ' ') for a field that is usually digits (a
// status code, a size): it walks the digits, which check reads anyway, and calls
// IndexByte only when something else ends them.
func spaceAfterDigits(b []byte) int {
	i := 0
	for i < len(b) && b[i]-'0' < 10 {
		i++
	}
	if i < len(b) && b[i] == ' ' {
		return i
	}
	if k := bytes.IndexByte(b[i:], ' '); k >= 0 {
		return i + k
	}
	return -1
}
