package awkcompat

import "bytes"

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// ParseNumber reads an input field as awk's numeric-string test does: ok is false
// when the field is not a number (awk then compares it as a string). Plain decimals
// such as "0.250" take an exact allocation-free path; anything else goes through
// strconv.ParseFloat, which rounds like strtod.
func ParseNumber(s []byte) (float64, bool) {
	if len(s) > 0 && len(s) <= 15 {
		var m uint64
		dot := -1
		ok := true
		for i, c := range s {
			switch {
			case c >= '0' && c <= '9':
				m = m*10 + uint64(c-'0')
			case c == '.' && dot < 0:
				dot = i
			default:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok && !(dot >= 0 && len(s) == 1) {
			if dot < 0 {
				return float64(m), true
			}
			return float64(m) / pow10[len(s)-1-dot], true
		}
	}
	return looksNumeric(s)
}

// GreaterNum is Greater with ParseNumber's fast path.
func GreaterNum(field []byte, c float64) bool {
	v, ok := ParseNumber(field)
	return GreaterRead(field, v, ok, c)
}

// GreaterRead is GreaterNum for a field ParseNumber has read already (v, ok).
func GreaterRead(field []byte, v float64, ok bool, c float64) bool {
	if ok {
		return v > c
	}
	return bytes.Compare(field, []byte(FormatNumber(c, "%.6g"))) > 0
}
