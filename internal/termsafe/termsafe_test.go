package termsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "sshd", "sshd"},
		{"letters", "pröcess-名前", "pröcess-名前"},
		{"csi", "evil\x1b[2Jname", `evil\x1b[2Jname`},
		{"osc title", "a\x1b]0;pwned\x07b", `a\x1b]0;pwned\x07b`},
		{"c1 csi", "x\u009b31m", `x\x9b31m`},
		{"newline tab del", "a\nb\tc\x7f", `a\x0ab\x09c\x7f`},
		{"bidi override", "abc\u202etxt.exe", `abc\u202etxt.exe`},
		{"zero width joiner", "a\u200db", `a\u200db`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"invalid utf8", "a\xff\xfeb", `a\xff\xfeb`},
		{"truncated utf8", "a\xe2\x82", `a\xe2\x82`},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzSanitize checks that nothing a process can put in its name reaches the
// terminal as a control or format character, and that safe text passes unchanged.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"sshd", "\x1b[31mred", "\u009b1m", "a\u202eb", "\xff", "名前\x00", "\x1bP+q\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Sanitize(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Sanitize(%q) = %q: invalid UTF-8", s, got)
		}
		for _, r := range got {
			if unsafeRune(r) {
				t.Fatalf("Sanitize(%q) = %q: keeps %U", s, got, r)
			}
		}
		if strings.ContainsRune(got, 0x1b) {
			t.Fatalf("Sanitize(%q) keeps ESC", s)
		}
		if isSafe(s) && got != s {
			t.Fatalf("Sanitize(%q) = %q: changed safe text", s, got)
		}
		if Sanitize(got) != got {
			t.Fatalf("Sanitize is not idempotent on %q", s)
		}
	})
}
