// Package logfmt compiles web server access-log formats (the built-in combined, common,
// combined with a trailing response time, Squid native and Squid combined layouts, or an
// Apache LogFormat / nginx log_format string) into a field plan, and splits log lines
// into fields with that plan: byte level, quote aware, no regular expression per line.
package logfmt

import (
	"errors"
	"strconv"
)

// ErrMalformed is wrapped by every error returned for a line that does not fit its plan.
var ErrMalformed = errors.New("malformed log line")

// Unit is the unit of a response-time field.
type Unit int

// Response-time units.
const (
	Seconds Unit = iota
	Milliseconds
	Microseconds
)

// String returns the unit's short name (s, ms, us).
func (u Unit) String() string {
	switch u {
	case Milliseconds:
		return "ms"
	case Microseconds:
		return "us"
	}
	return "s"
}

// ParseUnit parses s, ms or us.
func ParseUnit(s string) (Unit, error) {
	switch s {
	case "s", "sec", "seconds":
		return Seconds, nil
	case "ms":
		return Milliseconds, nil
	case "us", "µs", "usec":
		return Microseconds, nil
	}
	return 0, errors.New("unknown time unit " + strconv.Quote(s) + " (want s, ms or us)")
}

// Record is one parsed line. Every slice points into the line given to Parse and is
// valid only until that buffer is reused. A field the format lacks is nil.
type Record struct {
	Host    []byte // client address
	User    []byte // authenticated user
	Time    []byte // timestamp text, without brackets
	Method  []byte // request method
	Path    []byte // request target (URL path, absolute URL, or host:port for CONNECT)
	Proto   []byte // protocol, e.g. HTTP/1.1
	Status  []byte // status code
	Bytes   []byte // response size; "-" means 0
	Referer []byte
	UA      []byte // User-Agent
	// RespTime is the response time in the plan's time unit.
	RespTime []byte
	// Stamp is the timestamp as it would appear as awk's $4 in a combined log:
	// "[" and the time up to its first blank.
	Stamp []byte
}

// BytesValue returns the response size; "-" or anything not a number counts as 0.
func (r *Record) BytesValue() uint64 {
	var n uint64
	for _, c := range r.Bytes {
		if c < '0' || c > '9' {
			return n
		}
		n = n*10 + uint64(c-'0')
	}
	return n
}
