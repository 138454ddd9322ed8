package agg

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestPathMatchLiteral checks --match's substring fast path: it is taken only for a
// plain ASCII literal, and answers as the regular expression does on any bytes,
// invalid UTF-8 included.
func TestPathMatchLiteral(t *testing.T) {
	for pat, lit := range map[string]string{
		`\.exe`: ".exe", `abc`: "abc", `/a/b\?x=1`: "/a/b?x=1",
		`(?i)exe`: "", `^/a`: "", `a.b`: "", `é`: "", `exe|php`: "", ``: "", `\x{FFFD}`: "",
	} {
		re := regexp.MustCompile(pat)
		if got := string(asciiLiteral(re)); got != lit {
			t.Errorf("asciiLiteral(%q) = %q, want %q", pat, got, lit)
		}
		s := NewSet(&Config{Match: re})
		r := rand.New(rand.NewPCG(1, uint64(len(pat))))
		alphabet := []byte("abexp./?=1\xc3\xa9\xff\xef\xbf\xbd")
		for range 5000 {
			path := make([]byte, r.IntN(12))
			for i := range path {
				path[i] = alphabet[r.IntN(len(alphabet))]
			}
			if r.IntN(4) == 0 && lit != "" {
				at := r.IntN(len(path) + 1)
				path = append(path[:at:at], append([]byte(lit), path[at:]...)...)
			}
			if got, want := s.pathMatches(path), re.Match(path); got != want {
				t.Fatalf("--match %q on %q: %v, the regexp says %v", pat, path, got, want)
			}
		}
	}
}
