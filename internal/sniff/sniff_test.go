package sniff

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		rc     int
		stdout string // a prefix
		stderr string // a substring
	}{
		{[]string{"--help"}, 0, "Usage: netstat sniff RECIPE", ""},
		{[]string{"mysql", "-h"}, 0, "Usage: netstat sniff RECIPE", ""},
		{nil, 2, "", "missing RECIPE"},
		{[]string{"dns"}, 2, "", `unknown recipe "dns"`},
		{[]string{"top-sources", "--by", "hits"}, 2, "", `--by "hits"`},
		{[]string{"top-sources", "--port", "0"}, 2, "", "--port 0"},
		{[]string{"crawlers", "--ua", "("}, 2, "", "--ua"},
		{[]string{"mysql", "--bogus"}, 2, "", "not defined: -bogus"},
		{[]string{"mysql", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"mysql", "-r", "/nonexistent.pcap"}, 1, "", "/nonexistent.pcap"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			rc := Run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
			if rc != tc.rc || !strings.HasPrefix(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q", rc, stdout.String(), stderr.String())
			}
			if tc.rc == 2 && (stdout.Len() > 0 || strings.Count(stderr.String(), "\n") != 2 || !strings.Contains(stderr.String(), "--help")) {
				t.Errorf("a usage error is one line and a hint on stderr: %q", stderr.String())
			}
		})
	}
}

func TestCount(t *testing.T) {
	// -c stops after that many packets on the port: the first 3 of http.pcap are
	// 127.0.0.2's handshake and first request.
	got := run(t, writePcap(t, readFixture(t, "http.pcap")), "top-sources", "--by", "packets", "-c", "3")
	if got != "      3 127.0.0.2\n" {
		t.Errorf("got %q", got)
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 'é'\n\tFROM t": "SELECT 'é'\n\tFROM t",
		"a\x1b[2Jb":            `a\x1b[2Jb`,
		"\xff\xfe":             `\xff\xfe`,
		"\u0085":               `\xc2\x85`,
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}
