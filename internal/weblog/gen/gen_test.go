package gen

import (
	"bytes"
	"strings"
	"testing"
)

func TestDeterministicWithTruth(t *testing.T) {
	cfg := Config{Seed: 9, Lines: 5000, Clients: 50, URLs: 40, Format: SquidCombined}
	var a, b bytes.Buffer
	g := New(cfg)
	if _, err := g.WriteTo(&a); err != nil {
		t.Fatal(err)
	}
	if _, err := New(cfg).WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same config wrote different logs")
	}
	lines := strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n")
	if uint64(len(lines)) != g.Truth.Lines {
		t.Fatalf("%d lines, truth says %d", len(lines), g.Truth.Lines)
	}
	var ips, connect, ipv6, dash, head, notModified uint64
	for _, l := range lines {
		f := strings.Fields(l)
		ips++
		if strings.Contains(f[0], ":") {
			ipv6++
		}
		if f[5] == `"CONNECT` {
			connect++
		}
		if f[5] == `"HEAD` {
			head++
		}
		if f[8] == "304" {
			notModified++
		}
		if f[9] == "-" {
			dash++
		}
	}
	var sum uint64
	for _, n := range g.Truth.IPs {
		sum += n
	}
	if sum != ips {
		t.Errorf("truth counts %d requests by client, the log has %d", sum, ips)
	}
	if connect == 0 || ipv6 == 0 || dash == 0 || head == 0 || notModified == 0 {
		t.Errorf("missing cases: CONNECT %d, IPv6 %d, '-' bytes %d, HEAD %d, 304 %d", connect, ipv6, dash, head, notModified)
	}
	if g.Truth.Bytes <= 1<<31 {
		t.Errorf("total %d bytes, want above 2^31", g.Truth.Bytes)
	}
}
