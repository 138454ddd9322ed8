package logfmt

var monthIndex = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func num(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian date.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// ParseTime parses a log timestamp into Unix seconds: the common log format's
// "06/Dec/2026:10:00:00 +0000", ISO 8601 "2026-12-06T10:00:00+00:00" or Unix seconds
// with an optional fraction ("1765015200.123", Squid and nginx $msec).
func ParseTime(b []byte) (int64, bool) {
	switch {
	case len(b) >= 20 && b[2] == '/' && b[6] == '/' && b[11] == ':':
		d, ok1 := num(b[0:2])
		y, ok2 := num(b[7:11])
		m := int64(0)
		for i, name := range monthIndex {
			if string(b[3:6]) == name {
				m = int64(i + 1)
			}
		}
		sec, ok3 := clock(b[12:20])
		if !ok1 || !ok2 || !ok3 || m == 0 {
			return 0, false
		}
		off, ok := zone(b[20:])
		if !ok {
			return 0, false
		}
		return daysFromCivil(y, m, d)*86400 + sec - off, true
	case len(b) >= 19 && b[4] == '-' && b[7] == '-' && (b[10] == 'T' || b[10] == ' '):
		y, ok1 := num(b[0:4])
		m, ok2 := num(b[5:7])
		d, ok3 := num(b[8:10])
		sec, ok4 := clock(b[11:19])
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return 0, false
		}
		rest := b[19:]
		for len(rest) > 0 && (rest[0] == '.' || rest[0] >= '0' && rest[0] <= '9') {
			rest = rest[1:]
		}
		var off int64
		if len(rest) > 0 && rest[0] != 'Z' {
			o, ok := zone(rest)
			if !ok {
				return 0, false
			}
			off = o
		}
		return daysFromCivil(y, m, d)*86400 + sec - off, true
	default:
		i := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == 0 || i > 12 {
			return 0, false
		}
		if i < len(b) && b[i] != '.' {
			return 0, false
		}
		n, _ := num(b[:i])
		return n, true
	}
}

func clock(b []byte) (int64, bool) {
	if b[2] != ':' || b[5] != ':' {
		return 0, false
	}
	h, ok1 := num(b[0:2])
	mi, ok2 := num(b[3:5])
	s, ok3 := num(b[6:8])
	return h*3600 + mi*60 + s, ok1 && ok2 && ok3
}

// zone parses " +0000", "+00:00" or "" into an offset in seconds east of UTC.
func zone(b []byte) (int64, bool) {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, true
	}
	if b[0] != '+' && b[0] != '-' || len(b) < 5 {
		return 0, false
	}
	hh, ok1 := num(b[1:3])
	mmb := b[3:5]
	if b[3] == ':' && len(b) >= 6 {
		mmb = b[4:6]
	}
	mm, ok2 := num(mmb)
	if !ok1 || !ok2 {
		return 0, false
	}
	off := hh*3600 + mm*60
	if b[0] == '-' {
		off = -off
	}
	return off, true
}
