package resolve

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

const hostsFixture = `# comment
127.0.0.1	localhost
127.0.0.2	a-very-long-hostname-for-truncation-tests.example.org alias
::1	localhost6 ip6-localhost
::ffff:10.1.2.3	mapped-four
fe80::1%eth0	scoped-is-ignored
10.0.0.1	first
10.0.0.1	second
fd00::1	v6host-one
bogus-address	nothing
`

func TestHostsLookup(t *testing.T) {
	h := ParseHosts(strings.NewReader(hostsFixture))
	tests := []struct {
		addr string
		want string
		ok   bool
	}{
		{"127.0.0.1", "localhost", true},
		{"127.0.0.2", "a-very-long-hostname-for-truncation-tests.example.org", true},
		{"10.0.0.1", "first", true}, // first matching line wins
		{"10.1.2.3", "mapped-four", true},
		{"::1", "localhost6", true},
		{"fd00::1", "v6host-one", true},
		// An IPv6 lookup of a mapped address does not see IPv4 lines (glibc files).
		{"::ffff:127.0.0.1", "", false},
		{"fe80::1", "", false},
		{"192.0.2.1", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			got, ok := h.Lookup(netip.MustParseAddr(tt.addr))
			if got != tt.want || ok != tt.ok {
				t.Errorf("Lookup(%s) = %q, %v; want %q, %v", tt.addr, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestHostsIPv4LoopbackFromV6Line(t *testing.T) {
	h := ParseHosts(strings.NewReader("::1 six\n127.0.0.1 four\n"))
	if got, _ := h.Lookup(netip.MustParseAddr("127.0.0.1")); got != "six" {
		t.Errorf("glibc maps a ::1 line to 127.0.0.1 for IPv4 lookups; got %q", got)
	}
}

func TestServicesLastEntryWins(t *testing.T) {
	services := "ssh 22/tcp\nfirst-name 4447/tcp\nsecond-name 4447/tcp\ndomain 53/udp\nweird 0x10/tcp\nbad/tcp\nrawsvc 200/raw\n"
	protocols := "icmp 1 ICMP\nprotoname-a 200 PA\nprotoname-b 200 PB\n"
	s := ParseServices(strings.NewReader(services), strings.NewReader(protocols))
	tests := []struct {
		port  uint16
		proto string
		want  string
		ok    bool
	}{
		{22, "tcp", "ssh", true},
		{22, "udp", "", false},
		{4447, "tcp", "second-name", true},
		{53, "udp", "domain", true},
		{16, "tcp", "weird", true},
		{1, "raw", "icmp", true},
		{200, "raw", "protoname-b", true}, // protocols are read after services
	}
	for _, tt := range tests {
		got, ok := s.Lookup(tt.port, tt.proto)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%d/%s) = %q, %v; want %q, %v", tt.port, tt.proto, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNetworks(t *testing.T) {
	n := ParseNetworks(strings.NewReader("default 0.0.0.0\nloopback 127.0.0.0\nshort 10.9\nlink-local 169.254.0.0\n"))
	for _, tt := range []struct {
		net  uint32
		want string
	}{{0, "default"}, {0x7f000000, "loopback"}, {0x0a090000, "short"}, {0xa9fe0000, "link-local"}, {1, ""}} {
		if got, _ := n.Lookup(tt.net); got != tt.want {
			t.Errorf("Lookup(%#x) = %q, want %q", tt.net, got, tt.want)
		}
	}
}

func TestPasswd(t *testing.T) {
	p := ParsePasswd(strings.NewReader("root:x:0:0:root:/root:/bin/bash\nsystemd-network:x:998:998::/:/usr/sbin/nologin\ndup:x:998:1::/:/bin/sh\n+nis\n"))
	if got, _ := p.Lookup(998); got != "systemd-network" {
		t.Errorf("uid 998 = %q", got)
	}
	if _, ok := p.Lookup(12345); ok {
		t.Error("uid 12345 should be unknown")
	}
}

func TestSystemFollowsNsswitch(t *testing.T) {
	etc := fstest.MapFS{
		"nsswitch.conf": {Data: []byte("passwd: files\nhosts:          files [NOTFOUND=return] dns\n")},
		"hosts":         {Data: []byte("127.0.0.1 localhost\n")},
	}
	s := NewSystem(etc)
	dnsCalls := 0
	s.dns = func(_ context.Context, a netip.Addr) (string, bool) { dnsCalls++; return "from-dns", true }
	if got, _ := s.HostName(netip.MustParseAddr("127.0.0.1")); got != "localhost" {
		t.Errorf("files answer = %q", got)
	}
	if got, _ := s.HostName(netip.MustParseAddr("192.0.2.9")); got != "from-dns" {
		t.Errorf("dns answer = %q", got)
	}
	s.HostName(netip.MustParseAddr("192.0.2.9"))
	if dnsCalls != 1 {
		t.Errorf("dns asked %d times, want 1 (cached)", dnsCalls)
	}

	filesOnly := NewSystem(fstest.MapFS{"nsswitch.conf": {Data: []byte("hosts: files\n")}})
	filesOnly.dns = func(context.Context, netip.Addr) (string, bool) { t.Error("dns asked"); return "", false }
	if _, ok := filesOnly.HostName(netip.MustParseAddr("192.0.2.9")); ok {
		t.Error("unexpected name")
	}
}

func FuzzParseHosts(f *testing.F) {
	f.Add(hostsFixture, "127.0.0.1")
	f.Fuzz(func(t *testing.T, data, addr string) {
		a, err := netip.ParseAddr(addr)
		if err != nil {
			return
		}
		h := ParseHosts(strings.NewReader(data))
		name, ok := h.Lookup(a)
		// Every name a reverse lookup gives resolves forward to a list of usable
		// addresses without repeats.
		if ok && name != "" {
			addrs := h.Addrs(name)
			if len(addrs) == 0 {
				t.Fatalf("Lookup(%s) = %q, but Addrs(%q) is empty", a, name, name)
			}
			for i, x := range addrs {
				if !x.IsValid() || x.Zone() != "" || slices.Contains(addrs[:i], x) {
					t.Fatalf("Addrs(%q) = %v", name, addrs)
				}
			}
		}
	})
}

func TestHostsAddrs(t *testing.T) {
	h := ParseHosts(strings.NewReader(hostsFixture + "10.0.0.2 First\n127.0.0.1 localhost\n"))
	tests := []struct {
		name string
		want []string
	}{
		{"localhost", []string{"127.0.0.1"}}, // repeats dropped
		{"alias", []string{"127.0.0.2"}},     // aliases count
		{"ip6-localhost", []string{"::1"}},
		{"FIRST", []string{"10.0.0.1", "10.0.0.2"}}, // case ignored, every line in order
		{"mapped-four", []string{"::ffff:10.1.2.3"}},
		{"scoped-is-ignored", nil}, // its line is not usable
		{"nothing", nil},
		{"", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, a := range h.Addrs(tt.name) {
				got = append(got, a.String())
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("Addrs(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestSystemHostAddrs(t *testing.T) {
	etc := fstest.MapFS{
		"hosts":         {Data: []byte("127.0.0.2 filehost\n")},
		"nsswitch.conf": {Data: []byte("hosts: files dns\n")},
	}
	s := NewSystem(etc)
	var asked []string
	s.dnsAddrs = func(_ context.Context, name string) ([]netip.Addr, bool) {
		asked = append(asked, name)
		if name == "dnshost" {
			return []netip.Addr{netip.MustParseAddr("192.0.2.7")}, true
		}
		return nil, false
	}
	if a, ok := s.HostAddrs(context.Background(), "filehost"); !ok || len(a) != 1 || a[0].String() != "127.0.0.2" {
		t.Errorf("filehost = %v, %v", a, ok)
	}
	if a, ok := s.HostAddrs(context.Background(), "dnshost"); !ok || len(a) != 1 || a[0].String() != "192.0.2.7" {
		t.Errorf("dnshost = %v, %v", a, ok)
	}
	if _, ok := s.HostAddrs(context.Background(), "nosuch"); ok {
		t.Error("nosuch resolved")
	}
	if strings.Join(asked, " ") != "dnshost nosuch" {
		t.Errorf("DNS asked for %v; files should answer filehost", asked)
	}

	filesOnly := NewSystem(fstest.MapFS{"nsswitch.conf": {Data: []byte("hosts: files\n")}})
	filesOnly.dnsAddrs = func(context.Context, string) ([]netip.Addr, bool) {
		t.Error("dns asked")
		return nil, false
	}
	if _, ok := filesOnly.HostAddrs(context.Background(), "dnshost"); ok {
		t.Error("files-only resolved a name it does not have")
	}
}

func FuzzParsePasswd(f *testing.F) {
	f.Add("root:x:0:0:root:/root:/bin/bash\n  lead:x:3:3::/:/bin/sh\n#c:x:4:4\n:x:5:5::/:\n", uint32(3))
	f.Add("big:x:99999999999:1\nneg:x:-0:0\n", uint32(0))
	f.Fuzz(func(t *testing.T, data string, uid uint32) {
		name, ok := ParsePasswd(strings.NewReader(data)).Lookup(uid)
		if ok && strings.ContainsAny(name, ":\n\x00") {
			t.Fatalf("Lookup(%d) = %q", uid, name)
		}
	})
}

func FuzzStrtou32(f *testing.F) {
	for _, s := range []string{"0", "+7", "-0", " 12", "0x1f", "017", "4294967295", "4294967296", "-1", "", "0x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Plain decimal fields agree with strconv.
		v, ok := strtou32(s, 10)
		if want, err := strconv.ParseUint(s, 10, 32); err == nil && (!ok || uint64(v) != want) {
			t.Fatalf("strtou32(%q, 10) = %d, %v; want %d", s, v, ok, want)
		}
		// Base 0 reads decimal fields the same way.
		if !strings.HasPrefix(strings.TrimLeft(s, " \t\n\v\f\r+-"), "0") {
			if v0, ok0 := strtou32(s, 0); v0 != v || ok0 != ok {
				t.Fatalf("strtou32(%q, 0) = %d, %v; base 10 gives %d, %v", s, v0, ok0, v, ok)
			}
		}
	})
}

func FuzzParseNetworksServices(f *testing.F) {
	f.Add("vzero 10.9 # c\nten 10\nbad 1.2.3.4.5\n", "http 80/tcp\nplus +84/tcp\n", "ip 0 IP\nneg -3\n", uint32(0x0a090000))
	f.Fuzz(func(t *testing.T, networks, services, protocols string, n uint32) {
		ParseNetworks(strings.NewReader(networks)).Lookup(n)
		ParseServices(strings.NewReader(services), strings.NewReader(protocols)).Lookup(uint16(n), "tcp")
	})
}
