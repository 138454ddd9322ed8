package resolve

import (
	"bufio"
	"bytes"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// files.go holds pure parsers for the NSS "files" databases netstat consults, each with
// glibc's matching rules. They never fail: lines glibc would ignore are ignored.

// fields splits a database line after dropping its '#' comment.
func fields(line []byte) [][]byte {
	if i := bytes.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	return bytes.Fields(line)
}

// hostsEntry is one usable /etc/hosts line: its address, canonical (first) name and
// aliases.
type hostsEntry struct {
	addr    netip.Addr
	name    string
	aliases []string
}

// HostsTable is /etc/hosts for reverse and forward lookups.
type HostsTable struct {
	entries []hostsEntry
}

// ParseHosts reads an /etc/hosts file.
func ParseHosts(r io.Reader) *HostsTable {
	t := &HostsTable{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		f := fields(cString(sc.Bytes()))
		if len(f) == 0 {
			continue
		}
		a, err := netip.ParseAddr(string(f[0]))
		if err != nil || a.Zone() != "" {
			continue
		}
		e := hostsEntry{addr: a}
		if len(f) > 1 {
			e.name = string(f[1])
		}
		for _, alias := range f[min(len(f), 2):] {
			e.aliases = append(e.aliases, string(alias))
		}
		t.entries = append(t.entries, e)
	}
	return t
}

// Lookup is _nss_files_gethostbyaddr_r: the first line whose address equals addr, in
// the family asked for. For IPv4 lookups glibc also accepts IPv4-mapped IPv6 lines and
// treats "::1" as 127.0.0.1; IPv6 lookups see only IPv6 lines.
func (t *HostsTable) Lookup(addr netip.Addr) (string, bool) {
	if t == nil {
		return "", false
	}
	for _, e := range t.entries {
		a := e.addr
		if addr.Is4() && a.Is6() {
			switch {
			case a.Is4In6():
				a = a.Unmap()
			case a == netip.IPv6Loopback():
				a = netip.AddrFrom4([4]byte{127, 0, 0, 1})
			default:
				continue
			}
		}
		if a == addr {
			return e.name, true
		}
	}
	return "", false
}

// Addrs is the files part of getaddrinfo(name) for any family: the address of every
// line whose canonical name or an alias equals name, ignoring case, in file order and
// without repeats.
func (t *HostsTable) Addrs(name string) []netip.Addr {
	if t == nil || name == "" {
		return nil
	}
	var out []netip.Addr
	for _, e := range t.entries {
		match := strings.EqualFold(e.name, name)
		for _, alias := range e.aliases {
			match = match || strings.EqualFold(alias, name)
		}
		if match && !slices.Contains(out, e.addr) {
			out = append(out, e.addr)
		}
	}
	return out
}

// ServicesTable maps (port, protocol) to the official service name.
type ServicesTable struct {
	names map[serviceKey]string
}

type serviceKey struct {
	port  uint16
	proto string
}

// ParseServices builds net-tools' service lists from /etc/services and /etc/protocols
// (either may be nil), whose lines are read as getservent(3) and getprotoent(3) read
// them (the port in base 0, the protocol number in base 10, as strtou32 does): tcp,
// udp and raw services, then every protocol as a "raw" service. net-tools prepends each entry and returns the first match, so the last line
// for a key wins; protocols, read after services, win over raw services.
func ParseServices(services, protocols io.Reader) *ServicesTable {
	t := &ServicesTable{names: make(map[serviceKey]string)}
	if services != nil {
		sc := bufio.NewScanner(services)
		sc.Buffer(make([]byte, 0, 4096), 1<<20)
		for sc.Scan() {
			f := fields(cString(sc.Bytes()))
			if len(f) < 2 {
				continue
			}
			portText, proto, ok := strings.Cut(string(f[1]), "/")
			if !ok || (proto != "tcp" && proto != "udp" && proto != "raw") {
				continue
			}
			port, ok := strtou32(portText, 0)
			if !ok {
				continue
			}
			t.names[serviceKey{uint16(port), proto}] = string(f[0]) // s_port is htons(port)
		}
	}
	if protocols != nil {
		sc := bufio.NewScanner(protocols)
		sc.Buffer(make([]byte, 0, 4096), 1<<20)
		for sc.Scan() {
			f := fields(cString(sc.Bytes()))
			if len(f) < 2 {
				continue
			}
			n, ok := strtou32(string(f[1]), 10)
			if !ok {
				continue
			}
			t.names[serviceKey{uint16(n), "raw"}] = string(f[0]) // net-tools' htons(p_proto)
		}
	}
	return t
}

// Lookup returns the service name of port for proto ("tcp", "udp" or "raw").
func (t *ServicesTable) Lookup(port uint16, proto string) (string, bool) {
	if t == nil {
		return "", false
	}
	name, ok := t.names[serviceKey{port, proto}]
	return name, ok
}

// parseCNumber is strtoul(s, &end, 0) requiring the whole string: decimal, 0x hex or
// leading-0 octal.
func parseCNumber(s string) (uint64, bool) {
	base := 10
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
	case len(s) > 1 && s[0] == '0':
		s, base = s[1:], 8
	}
	v, err := strconv.ParseUint(s, base, 64)
	return v, err == nil
}

// NetworksTable is /etc/networks for getnetbyaddr.
type NetworksTable struct {
	entries []networkEntry
}

type networkEntry struct {
	net  uint32
	name string
}

// ParseNetworks reads an /etc/networks file ("name number [aliases]") as glibc's
// nss_files does: '#' starts a comment anywhere, a number of fewer than four parts is
// padded with ".0" parts ("10.44" is 10.44.0.0, "10" is 10.0.0.0) before
// inet_network(3), and a number inet_network rejects is kept as INADDR_NONE.
func ParseNetworks(r io.Reader) *NetworksTable {
	t := &NetworksTable{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		f := fields(cString(sc.Bytes()))
		if len(f) < 2 {
			continue
		}
		addr := string(f[1])
		for n := min(strings.Count(addr, ".")+1, 4); n < 4; n++ {
			addr += ".0"
		}
		n, ok := inetNetwork(addr)
		if !ok {
			n = 0xffffffff // INADDR_NONE, which glibc stores as the number
		}
		t.entries = append(t.entries, networkEntry{n, string(f[0])})
	}
	return t
}

// cString is line up to its first NUL byte, where glibc's string handling stops.
func cString(line []byte) []byte {
	if i := bytes.IndexByte(line, 0); i >= 0 {
		return line[:i]
	}
	return line
}

// Lookup returns the first network whose number equals n (host byte order).
func (t *NetworksTable) Lookup(n uint32) (string, bool) {
	if t == nil {
		return "", false
	}
	for _, e := range t.entries {
		if e.net == n {
			return e.name, true
		}
	}
	return "", false
}

// inetNetwork is inet_network(3): up to four dot-separated parts, each decimal, octal
// or hex, shifted together ("127.0.0.0" is 0x7f000000, "10.9" is 0x0a09).
func inetNetwork(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return 0, false
	}
	var v uint32
	for _, p := range parts {
		if p == "" {
			return 0, false
		}
		n, ok := parseCNumber(p)
		if !ok || n > 255 {
			return 0, false
		}
		v = v<<8 | uint32(n)
	}
	return v, true
}

// PasswdTable maps uids to user names from /etc/passwd.
type PasswdTable struct {
	names map[uint32]string
}

// ParsePasswd reads an /etc/passwd file as getpwuid's nss_files backend does: leading
// white space of a line is skipped, and so are empty lines and lines then starting with
// '#'; the name runs to the first ':' (it may be empty); a line needs a password field
// and uid and gid fields that strtoul(3) reads whole (leading blanks and a sign
// allowed, values above 2^32-1 rejected); names starting with '+' or '-' (NIS
// compat) never match. The first valid line of a uid wins.
func ParsePasswd(r io.Reader) *PasswdTable {
	t := &PasswdTable{names: make(map[uint32]string)}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		name, uid, ok := passwdLine(string(cString(sc.Bytes())))
		if !ok {
			continue
		}
		if _, dup := t.names[uid]; !dup {
			t.names[uid] = name
		}
	}
	return t
}

// passwdLine parses one line of /etc/passwd; ok is false for lines getpwuid skips.
func passwdLine(line string) (name string, uid uint32, ok bool) {
	line = strings.TrimLeft(line, " \t\n\v\f\r")
	if line == "" || line[0] == '#' {
		return "", 0, false
	}
	f := strings.SplitN(line, ":", 5)
	if len(f) < 4 || (f[0] != "" && (f[0][0] == '+' || f[0][0] == '-')) {
		return "", 0, false
	}
	uid, ok = strtou32(f[2], 10)
	if !ok {
		return "", 0, false
	}
	// The gid field ends the line or a ':' follows it.
	if _, ok := strtou32(f[3], 10); !ok {
		return "", 0, false
	}
	return f[0], uid, true
}

// strtou32 reads a whole field as glibc's nss_files reads a number: strtoul(3) in base
// (0: decimal, 0x hex or leading-0 octal) with optional leading white space and sign,
// which must use up the field, and a value above 2^32-1 (so any negative one but -0)
// makes the line invalid. A minus sign negates modulo 2^64, as strtoul does.
func strtou32(s string, base int) (uint32, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if base == 0 {
		switch {
		case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isHexDigit(s[2]):
			s, base = s[2:], 16
		case len(s) > 1 && s[0] == '0':
			s, base = s[1:], 8
		default:
			base = 10
		}
	}
	if s == "" {
		return 0, false
	}
	var v uint64
	overflow := false
	for i := 0; i < len(s); i++ {
		d, ok := digitValue(s[i])
		if !ok || d >= uint64(base) {
			return 0, false
		}
		if v > (1<<64-1-d)/uint64(base) {
			overflow = true
		}
		v = v*uint64(base) + d
	}
	if neg && !overflow {
		v = -v
	}
	if overflow || v > 0xffffffff {
		return 0, false // glibc 2.36 rejects the line
	}
	return uint32(v), true
}

func isHexDigit(c byte) bool {
	_, ok := digitValue(c)
	return ok
}

// digitValue is the value of a digit of base up to 16.
func digitValue(c byte) (uint64, bool) {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0'), true
	case 'a' <= c && c <= 'f':
		return uint64(c-'a') + 10, true
	case 'A' <= c && c <= 'F':
		return uint64(c-'A') + 10, true
	}
	return 0, false
}

// Lookup returns the name of uid.
func (t *PasswdTable) Lookup(uid uint32) (string, bool) {
	if t == nil {
		return "", false
	}
	name, ok := t.names[uid]
	return name, ok
}

// hostsSources returns the sources of the "hosts:" line of nsswitch.conf, in order,
// ignoring [action] items; the glibc default is "dns files" when the line is absent.
func hostsSources(r io.Reader) []string {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		db, rest, ok := strings.Cut(line, ":")
		if !ok || strings.TrimSpace(db) != "hosts" {
			continue
		}
		var out []string
		for _, f := range strings.Fields(rest) {
			if !strings.HasPrefix(f, "[") {
				out = append(out, f)
			}
		}
		return out
	}
	return []string{"dns", "files"}
}
