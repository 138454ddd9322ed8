package resolve

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

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
int main(int argc, char **argv) {
	for (int i = 1; i < argc; i++) {
		char kind = argv[i][0];
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

func TestPrivilegedGlibcFilesOracle(t *testing.T) {
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
	passwd := strings.Join(passwdShapes, "\n") + "\n"
	networks := strings.Join(networksShapes, "\n") + "\n"
	for name, data := range map[string]string{
		"passwd": passwd, "networks": networks, "nsswitch.conf": "passwd: files\nnetworks: files\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
	script := `set -e
mount --bind "$1/passwd" /etc/passwd
mount --bind "$1/networks" /etc/networks
mount --bind "$1/nsswitch.conf" /etc/nsswitch.conf
shift
exec "$@"`
	args := append([]string{"-m", "--propagation", "private", "sh", "-c", script, "sh", dir, bin}, queries...)
	out, err := exec.Command("unshare", args...).Output()
	if err != nil {
		t.Fatalf("driver: %v", err)
	}
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
	want, got := strings.Split(string(out), "\n"), strings.Split(ours.String(), "\n")
	for i := range max(len(want), len(got)) {
		w, g := "", ""
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			t.Errorf("glibc %q, ours %q", w, g)
		}
	}
}
