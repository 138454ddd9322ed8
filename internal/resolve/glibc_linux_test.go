package resolve

import (
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/netstat-go/netstat/internal/nstest"
)

// The glibc oracle: a small C program calls getpwuid(3) and getnetbyaddr(3) with
// crafted /etc/passwd and /etc/networks bind-mounted over the real ones in a private
// mount namespace (with "files" as the only source), and our parsers must answer
// every query as glibc does.

const glibcDriver = `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <netdb.h>
#include <sys/socket.h>
#include <arpa/inet.h>
int main(int argc, char **argv) {
	for (int i = 1; i < argc; i++) {
		char kind = argv[i][0];
		if (kind == 'S') {
			struct servent *se;
			setservent(0);
			while ((se = getservent()) != NULL)
				printf("S %s %d [%s]\n", se->s_name, ntohs(se->s_port), se->s_proto);
			endservent();
			continue;
		}
		if (kind == 'P') {
			struct protoent *pe;
			setprotoent(0);
			while ((pe = getprotoent()) != NULL)
				printf("P %s %d\n", pe->p_name, pe->p_proto);
			endprotoent();
			continue;
		}
		if (kind == 'h') {
			unsigned char buf[16];
			int af = strchr(argv[i] + 1, ':') ? AF_INET6 : AF_INET;
			if (inet_pton(af, argv[i] + 1, buf) != 1) { printf("%s=?\n", argv[i]); continue; }
			struct hostent *he = gethostbyaddr(buf, af == AF_INET ? 4 : 16, af);
			if (he) printf("%s=[%s]\n", argv[i], he->h_name); else printf("%s=-\n", argv[i]);
			continue;
		}
		unsigned long v = strtoul(argv[i] + 1, NULL, 0);
		if (kind == 'u') {
			struct passwd *pw = getpwuid((uid_t)v);
			if (pw) printf("u%lu=[%s]\n", v, pw->pw_name); else printf("u%lu=-\n", v);
		} else {
			struct netent *ne = getnetbyaddr((uint32_t)v, AF_INET);
			if (ne) printf("n%lu=[%s]\n", v, ne->n_name); else printf("n%lu=-\n", v);
		}
	}
	return 0;
}
`

// passwdShapes are /etc/passwd lines of every shape the parser must treat as glibc.
var passwdShapes = []string{
	"root:x:0:0:root:/root:/bin/bash",
	"# comment:x:1:1::/:/bin/sh",
	"  #indented:x:2:2::/:/bin/sh",
	"  lead:x:3:3::/:/bin/sh",
	"\tlead2:x:4:4::/:/bin/sh",
	":x:5:5::/:/bin/sh",
	"dup1:x:6:6::/:/bin/sh",
	"dup2:x:6:6::/:/bin/sh",
	"bad-uid:x:7a:7::/:/bin/sh",
	"good7:x:7:7::/:/bin/sh",
	"nogid:x:8",
	"nogid2:x:8:",
	"good8:x:8:8",
	"spaceuid:x: 9:9::/:/bin/sh",
	"plusuid:x:+10:10::/:/bin/sh",
	"neg:x:-11:11::/:/bin/sh",
	"negzero:x:-0:28::/:/bin/sh",
	"big:x:99999999999:12::/:/bin/sh",
	"+nis:x:13:13::/:/bin/sh",
	"-nis:x:14:14::/:/bin/sh",
	"+",
	"trail:x:15:15 ::/:/bin/sh",
	"trailuid:x:16 :16::/:/bin/sh",
	"badgid:x:17:1x::/:/bin/sh",
	"emptyuid:x::18::/:/bin/sh",
	"",
	"   ",
	"two:colons::19:19::/:/bin/sh",
	"hash#in:x:20:20::/:/bin/sh",
	"crlf:x:21:21::/:/bin/sh\r",
	"nul\x00x:x:22:22::/:/bin/sh",
	"max:x:4294967295:23::/:/bin/sh",
	"over:x:4294967296:24::/:/bin/sh",
	"hex:x:0x19:25::/:/bin/sh",
	"oct:x:026:26::/:/bin/sh",
	"onlyname",
	"name:pw",
	"name2:pw:27",
}

// networksShapes are /etc/networks lines of every shape.
var networksShapes = []string{
	"loopback 127.0.0.0",
	"short2 10.44",
	"short1 11",
	"short3 12.1.2",
	"hexnet 0x0d.0x01",
	"octnet 016.02",
	"# comment 13.0.0.0",
	"  indented 17.0.0.0",
	"trailing 18.0.0.0 # comment",
	"aliases 19.1.0.0 alias1 alias2",
	"dup 20.0.0.0",
	"dup2 20.0.0.0",
	"bad 21.300",
	"toolong 1.2.3.4.5",
	"empty",
	"tabs\t22.0.0.0",
	"full 23.1.2.3",
	"8bad 089",
}

// glibcRun compiles the driver, binds files (name -> content) over /etc/<name> in a
// private mount namespace and returns the driver's output for args.
func glibcRun(t *testing.T, files map[string]string, args ...string) string {
	t.Helper()
	nstest.RequireRoot(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "driver.c")
	bin := filepath.Join(dir, "driver")
	if err := os.WriteFile(src, []byte(glibcDriver), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("gcc", "-O0", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	script := "set -e\n"
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		script += fmt.Sprintf("mount --bind %q /etc/%s\n", filepath.Join(dir, name), name)
	}
	script += `exec "$@"`
	argv := append([]string{"-m", "--propagation", "private", "sh", "-c", script, "sh", bin}, args...)
	out, err := exec.Command("unshare", argv...).Output()
	if err != nil {
		t.Fatalf("driver: %v", err)
	}
	return string(out)
}

// compareLines reports every line where glibc's output and ours differ.
func compareLines(t *testing.T, glibc, ours string) {
	t.Helper()
	want, got := strings.Split(glibc, "\n"), strings.Split(ours, "\n")
	for i := range max(len(want), len(got)) {
		w, g := "", ""
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			t.Errorf("line %d: glibc %q, ours %q", i+1, w, g)
		}
	}
}

func TestPrivilegedGlibcFilesOracle(t *testing.T) {
	passwd := strings.Join(passwdShapes, "\n") + "\n"
	networks := strings.Join(networksShapes, "\n") + "\n"
	var queries []string
	for uid := range 30 {
		queries = append(queries, "u"+strconv.Itoa(uid))
	}
	queries = append(queries, "u4294967295", "u4294967294")
	nets := []uint32{0x7f000000, 0x0a2c0000, 0x0a2c, 0x0b000000, 0x0b, 0x0c010200, 0x0d010000,
		0x0e020000, 0x0d000000, 0x11000000, 0x12000000, 0x13010000, 0x14000000, 0x15000000,
		0x16000000, 0x17010203, 0xffffffff, 0x01020304, 0}
	for _, n := range nets {
		queries = append(queries, fmt.Sprintf("n%d", n))
	}
	out := glibcRun(t, map[string]string{
		"passwd": passwd, "networks": networks, "nsswitch.conf": "passwd: files\nnetworks: files\n",
	}, queries...)
	pw := ParsePasswd(strings.NewReader(passwd))
	nt := ParseNetworks(strings.NewReader(networks))
	var ours bytes.Buffer
	for _, q := range queries {
		v, _ := strconv.ParseUint(q[1:], 10, 64)
		var name string
		var ok bool
		if q[0] == 'u' {
			name, ok = pw.Lookup(uint32(v))
		} else {
			name, ok = nt.Lookup(uint32(v))
		}
		if ok {
			fmt.Fprintf(&ours, "%s=[%s]\n", q, name)
		} else {
			fmt.Fprintf(&ours, "%s=-\n", q)
		}
	}
	compareLines(t, out, ours.String())
}

// servicesShapes and protocolsShapes are /etc/services and /etc/protocols lines of
// every shape; net-tools reads both with getservent(3) and getprotoent(3).
var servicesShapes = []string{
	"http 80/tcp www", "  lead 81/tcp", "hex 0x52/tcp", "oct 083/tcp", "plus +84/tcp",
	"neg -85/tcp", "big 70000/tcp", "huge 99999999999/tcp", "noproto 86", "slash 87/",
	"sctp 88/sctp", "comment 89/tcp # x", "#x 90/tcp", "tabs\t91/udp", "dup1 92/tcp",
	"dup2 92/tcp", "space 93 /tcp", "upper 94/UDP", "raw1 95/raw", "nul\x0096/tcp", "97/tcp",
	"extra 98/tcp/more", "udp2 99/udp alias#c", "blank100  100/tcp", "\t", "", "onlyname",
	"leadsp 101/ tcp", "zero 0/tcp", "max 65535/udp", "wrap 65536/udp", "x 102/tcpx",
}

var protocolsShapes = []string{
	"ip 0 IP", "  lead 1", "hex 0x2", "neg -3", "big 70000", "plus +4", "noproto",
	"dup 5", "dup2 5", "comm 6 # c", "oct 07", "trail 8x", "#c 9", "tab\t10\tTAB",
	"huge 99999999999", "", "nul\x00 11",
}

func TestPrivilegedGlibcServicesOracle(t *testing.T) {
	services := strings.Join(servicesShapes, "\n") + "\n"
	protocols := strings.Join(protocolsShapes, "\n") + "\n"
	out := glibcRun(t, map[string]string{
		"services": services, "protocols": protocols,
		"nsswitch.conf": "services: files\nprotocols: files\n",
	}, "S", "P")
	// net-tools keeps the last entry of a (port, protocol) for tcp, udp and raw
	// services, then every protocol as a raw service (its number as the port).
	want := map[serviceKey]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 4 && f[0] == "S":
			if proto := strings.Trim(f[3], "[]"); proto == "tcp" || proto == "udp" || proto == "raw" {
				port, _ := strconv.Atoi(f[2])
				want[serviceKey{uint16(port), proto}] = f[1]
			}
		case len(f) == 3 && f[0] == "P":
			n, _ := strconv.Atoi(f[2])
			want[serviceKey{uint16(n), "raw"}] = f[1]
		default:
			t.Fatalf("driver line %q", line)
		}
	}
	got := ParseServices(strings.NewReader(services), strings.NewReader(protocols)).names
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(serviceKey{})); diff != "" {
		t.Errorf("services (-glibc +ours):\n%s", diff)
	}
}

// hostsShapes are /etc/hosts lines of every shape, for gethostbyaddr(3).
var hostsShapes = []string{
	"127.0.0.1 localhost", "127.0.0.2", "  127.0.0.3 lead", "127.0.0.4\tTab alias",
	"0127.0.0.5 leading0", "127.0.0.6 first", "127.0.0.6 second", "::ffff:127.0.0.7 mapped7",
	"::1 six-loop", "fe80::1%lo zoned", "fd00::1 v6one", "fd00:0::2 v6two",
	"127.000.0.8 zeros", "127.0.0.9# c", "10.0.0.1 x#y", "#127.0.0.10 commented",
	"127.0.0.11 trailing ", "127.0.0.12", "127.0.0.12 second12", "1.2.3 short",
	"0x7f.0.0.13 hexa", "fd00::3 v6three alias3", "::ffff:7f00:e mapped14hex", "nul\x00 127.0.0.15",
}

func TestPrivilegedGlibcHostsOracle(t *testing.T) {
	hosts := strings.Join(hostsShapes, "\n") + "\n"
	var queries []string
	for i := 1; i <= 16; i++ {
		queries = append(queries, fmt.Sprintf("h127.0.0.%d", i))
	}
	queries = append(queries, "h1.2.0.3", "h1.2.3.0", "h10.0.0.1", "h::1", "hfd00::1", "hfd00::2", "hfd00::3",
		"hfe80::1", "h::ffff:127.0.0.7", "h::ffff:127.0.0.1", "h::ffff:127.0.0.14")
	out := glibcRun(t, map[string]string{"hosts": hosts, "nsswitch.conf": "hosts: files\n"}, queries...)
	tab := ParseHosts(strings.NewReader(hosts))
	var ours strings.Builder
	for _, q := range queries {
		name, ok := tab.Lookup(netip.MustParseAddr(q[1:]))
		if ok {
			fmt.Fprintf(&ours, "%s=[%s]\n", q, name)
		} else {
			fmt.Fprintf(&ours, "%s=-\n", q)
		}
	}
	compareLines(t, out, ours.String())
}
