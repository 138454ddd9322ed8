package mysqlproto

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Column types of the binary protocol.
const (
	typeDecimal    = 0
	typeTiny       = 1
	typeShort      = 2
	typeLong       = 3
	typeFloat      = 4
	typeDouble     = 5
	typeNull       = 6
	typeTimestamp  = 7
	typeLongLong   = 8
	typeInt24      = 9
	typeDate       = 10
	typeTime       = 11
	typeDateTime   = 12
	typeYear       = 13
	typeNewDecimal = 246
)

// execute reads COM_STMT_EXECUTE's body.
func (c *Conn) execute(b []byte) Event {
	if len(b) < 9 {
		return c.event(Event{Kind: KindExecute})
	}
	id := binary.LittleEndian.Uint32(b)
	if id == 0xffffffff { // MariaDB: the statement prepared last
		id = c.lastStmt
	}
	ev := c.event(Event{Kind: KindExecute, StmtID: id})
	st, ok := c.stmts[id]
	if !ok {
		return ev
	}
	ev.Known, ev.Statement = true, st.sql
	if st.params == 0 {
		return ev
	}
	b = b[9:]
	nb := (st.params + 7) / 8
	if len(b) < nb+1 {
		return ev
	}
	nulls := b[:nb]
	bound := b[nb]
	b = b[nb+1:]
	if bound == 1 {
		if len(b) < 2*st.params {
			return ev
		}
		st.types = append(st.types[:0], b[:2*st.params]...)
		b = b[2*st.params:]
	}
	if len(st.types) != 2*st.params {
		return ev
	}
	params := make([]string, st.params)
	for i := range params {
		if nulls[i/8]&(1<<(i%8)) != 0 {
			params[i] = "NULL"
			continue
		}
		v, n, ok := value(st.types[2*i], st.types[2*i+1]&0x80 != 0, b)
		if !ok {
			params[i] = "?" // sent apart (COM_STMT_SEND_LONG_DATA) or unreadable
			for j := i + 1; j < len(params); j++ {
				params[j] = "?"
			}
			break
		}
		params[i], b = v, b[n:]
	}
	ev.Params = params
	return ev
}

// value reads one parameter of type t; n is the bytes it took.
func value(t byte, unsigned bool, b []byte) (v string, n int, ok bool) {
	fixed := func(w int) ([]byte, bool) { return b[:min(w, len(b))], len(b) >= w }
	switch t {
	case typeNull:
		return "NULL", 0, true
	case typeTiny:
		x, ok := fixed(1)
		if !ok {
			return "", 0, false
		}
		if unsigned {
			return strconv.FormatUint(uint64(x[0]), 10), 1, true
		}
		return strconv.FormatInt(int64(int8(x[0])), 10), 1, true
	case typeShort, typeYear:
		x, ok := fixed(2)
		if !ok {
			return "", 0, false
		}
		u := binary.LittleEndian.Uint16(x)
		if unsigned || t == typeYear {
			return strconv.FormatUint(uint64(u), 10), 2, true
		}
		return strconv.FormatInt(int64(int16(u)), 10), 2, true
	case typeLong, typeInt24:
		x, ok := fixed(4)
		if !ok {
			return "", 0, false
		}
		u := binary.LittleEndian.Uint32(x)
		if unsigned {
			return strconv.FormatUint(uint64(u), 10), 4, true
		}
		return strconv.FormatInt(int64(int32(u)), 10), 4, true
	case typeLongLong:
		x, ok := fixed(8)
		if !ok {
			return "", 0, false
		}
		u := binary.LittleEndian.Uint64(x)
		if unsigned {
			return strconv.FormatUint(u, 10), 8, true
		}
		return strconv.FormatInt(int64(u), 10), 8, true
	case typeFloat:
		x, ok := fixed(4)
		if !ok {
			return "", 0, false
		}
		return strconv.FormatFloat(float64(math.Float32frombits(binary.LittleEndian.Uint32(x))), 'g', -1, 32), 4, true
	case typeDouble:
		x, ok := fixed(8)
		if !ok {
			return "", 0, false
		}
		return strconv.FormatFloat(math.Float64frombits(binary.LittleEndian.Uint64(x)), 'g', -1, 64), 8, true
	case typeDate, typeDateTime, typeTimestamp:
		if len(b) < 1 || len(b) < 1+int(b[0]) {
			return "", 0, false
		}
		return dateTime(b[1 : 1+int(b[0])]), 1 + int(b[0]), true
	case typeTime:
		if len(b) < 1 || len(b) < 1+int(b[0]) {
			return "", 0, false
		}
		return timeValue(b[1 : 1+int(b[0])]), 1 + int(b[0]), true
	}
	// Strings, decimals, blobs, JSON, enums, sets, bits, geometry: length-encoded.
	l, w := lenenc(b)
	if w == 0 || uint64(len(b)-w) < l {
		return "", 0, false
	}
	s := string(b[w : w+int(l)])
	if t == typeDecimal || t == typeNewDecimal {
		return s, w + int(l), true
	}
	return quote(s), w + int(l), true
}

func dateTime(b []byte) string {
	var y, mo, d, h, mi, s, us int
	if len(b) >= 4 {
		y, mo, d = int(binary.LittleEndian.Uint16(b)), int(b[2]), int(b[3])
	}
	if len(b) >= 7 {
		h, mi, s = int(b[4]), int(b[5]), int(b[6])
	}
	if len(b) >= 11 {
		us = int(binary.LittleEndian.Uint32(b[7:]))
	}
	out := fmt.Sprintf("'%04d-%02d-%02d", y, mo, d)
	if len(b) >= 7 {
		out += fmt.Sprintf(" %02d:%02d:%02d", h, mi, s)
	}
	if len(b) >= 11 {
		out += fmt.Sprintf(".%06d", us)
	}
	return out + "'"
}

func timeValue(b []byte) string {
	if len(b) < 8 {
		return "'00:00:00'"
	}
	sign := ""
	if b[0] == 1 {
		sign = "-"
	}
	days := int(binary.LittleEndian.Uint32(b[1:]))
	out := fmt.Sprintf("'%s%02d:%02d:%02d", sign, days*24+int(b[5]), b[6], b[7])
	if len(b) >= 12 {
		out += fmt.Sprintf(".%06d", binary.LittleEndian.Uint32(b[8:]))
	}
	return out + "'"
}

// quote writes s as an SQL string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'':
			b.WriteString("''")
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
