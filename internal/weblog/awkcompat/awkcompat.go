// Package awkcompat reproduces, byte for byte, what the shell tools of the web-log
// recipes do under LC_ALL=C: GNU sort's -n ordering (and its last-resort whole-line
// comparison), uniq -c's count column, and gawk's comparisons and number output.
package awkcompat

import (
	"bytes"
	"math"
	"strconv"
)

// numParts splits the leading number of s the way GNU sort -n reads it in the C
// locale: blanks skipped, an optional '-', digits, an optional '.' and digits. Leading
// zeros of the integer part and trailing zeros of the fraction are dropped; zero has
// neg false.
func numParts(s []byte) (neg bool, intp, frac []byte) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	for i < len(s) && s[i] == '0' {
		i++
	}
	st := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intp = s[st:i]
	if i < len(s) && s[i] == '.' {
		i++
		st = i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		frac = bytes.TrimRight(s[st:i], "0")
	}
	if len(intp) == 0 && len(frac) == 0 {
		neg = false
	}
	return neg, intp, frac
}

// SortNum is the leading number of a line as GNU sort -n reads it, for comparing one
// line with many others without reading its number again.
type SortNum struct {
	neg        bool
	intp, frac []byte
}

// ParseSortNum reads the leading number of s (a line without one reads as zero).
func ParseSortNum(s []byte) SortNum {
	neg, intp, frac := numParts(s)
	return SortNum{neg, intp, frac}
}

// Compare compares a and b as sort -n does: -1, 0 or +1.
func (a SortNum) Compare(b SortNum) int {
	if a.neg != b.neg {
		if a.neg {
			return -1
		}
		return 1
	}
	c := 0
	switch {
	case len(a.intp) != len(b.intp):
		c = 1
		if len(a.intp) < len(b.intp) {
			c = -1
		}
	default:
		if c = bytes.Compare(a.intp, b.intp); c == 0 {
			c = bytes.Compare(a.frac, b.frac)
		}
	}
	if a.neg {
		c = -c
	}
	return c
}

// CompareLeading is ParseSortNum(s).Compare(b). For the usual s, a number that starts
// with a digit other than 0, it counts the digits of its integer part first: against
// a b that is not negative, fewer digits than b's integer part sort below b and more
// above it, whatever follows them.
func CompareLeading(s []byte, b SortNum) int {
	if !b.neg && len(s) > 0 && s[0]-'1' < 9 {
		i := 1
		for i < len(s) && s[i]-'0' < 10 {
			i++
		}
		switch {
		case i < len(b.intp):
			return -1
		case i > len(b.intp):
			return 1
		}
	}
	return ParseSortNum(s).Compare(b)
}

// NumCompare compares the leading numbers of a and b as GNU sort -n does in the C
// locale (a line without a number counts as zero): -1, 0 or +1.
func NumCompare(a, b []byte) int {
	return ParseSortNum(a).Compare(ParseSortNum(b))
}

// SortNCompare is the whole ordering of GNU sort -n under LC_ALL=C: numeric, then the
// last-resort byte comparison of the whole lines. sort -nr is its reverse.
func SortNCompare(a, b []byte) int {
	if c := NumCompare(a, b); c != 0 {
		return c
	}
	return bytes.Compare(a, b)
}

// AppendUniqCount appends a line as uniq -c prints it: the count right-aligned in
// seven columns, a blank, the line and a newline.
func AppendUniqCount(dst []byte, count uint64, line []byte) []byte {
	var buf [20]byte
	n := strconv.AppendUint(buf[:0], count, 10)
	for i := len(n); i < 7; i++ {
		dst = append(dst, ' ')
	}
	dst = append(dst, n...)
	dst = append(dst, ' ')
	dst = append(dst, line...)
	return append(dst, '\n')
}

// looksNumeric reports whether an input field is a "numeric string" to awk: blanks,
// an optional sign, a decimal floating-point number, blanks.
func looksNumeric(s []byte) (float64, bool) {
	t := bytes.Trim(s, " \t\n")
	if len(t) == 0 {
		return 0, false
	}
	digit := false
	for _, c := range t {
		if !(c >= '0' && c <= '9' || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E') {
			return 0, false
		}
		digit = digit || c >= '0' && c <= '9'
	}
	if !digit { // "-", "." or "e": no number, and no error value to allocate
		return 0, false
	}
	v, err := strconv.ParseFloat(string(t), 64)
	if err != nil {
		// Out of range still reads as a number (±Inf or 0), as strtod does.
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return v, true
		}
		return 0, false
	}
	return v, true
}

// Greater is awk's `field > c` for an input field and a numeric constant: a numeric
// comparison when the field looks like a number, otherwise a string comparison with
// the constant's string form.
func Greater(field []byte, c float64) bool {
	if v, ok := looksNumeric(field); ok {
		return v > c
	}
	return bytes.Compare(field, []byte(FormatNumber(c, "%.6g"))) > 0
}

// FormatNumber formats v as awk's print (ofmt "%.6g", its default OFMT) or string
// conversion (CONVFMT) does: an integral value as an integer, anything else with the
// %.Ng format.
func FormatNumber(v float64, ofmt string) string {
	if v == math.Trunc(v) && !math.IsInf(v, 0) {
		if math.Abs(v) < 1e16 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	prec := 6
	if len(ofmt) > 3 && ofmt[0] == '%' && ofmt[1] == '.' {
		if p, err := strconv.Atoi(ofmt[2 : len(ofmt)-1]); err == nil {
			prec = p
		}
	}
	return formatG(v, prec)
}

// formatG is C's printf("%.*g", prec, v).
func formatG(v float64, prec int) string {
	if prec == 0 {
		prec = 1
	}
	if math.IsNaN(v) {
		if math.Signbit(v) {
			return "-nan"
		}
		return "nan"
	}
	if math.IsInf(v, 1) {
		return "inf"
	}
	if math.IsInf(v, -1) {
		return "-inf"
	}
	e := strconv.FormatFloat(v, 'e', prec-1, 64)
	// The exponent after rounding decides between %e and %f.
	x, _ := strconv.Atoi(e[bytes.LastIndexByte([]byte(e), 'e')+1:])
	var s string
	if x < -4 || x >= prec {
		mant, exp := e[:bytes.LastIndexByte([]byte(e), 'e')], e[bytes.LastIndexByte([]byte(e), 'e')+1:]
		mant = trimZeros(mant)
		sign := exp[0]
		digits := exp[1:]
		if len(digits) < 2 {
			digits = "0" + digits
		}
		s = mant + "e" + string(sign) + digits
	} else {
		s = trimZeros(strconv.FormatFloat(v, 'f', prec-1-x, 64))
	}
	return s
}

func trimZeros(s string) string {
	if bytes.IndexByte([]byte(s), '.') < 0 {
		return s
	}
	for len(s) > 0 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}
