package analysis

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// Key is a field sockets can be grouped by.
type Key uint8

// The group-by keys, named as --count spells them.
const (
	KeyState      Key = iota + 1 // state: ESTABLISHED, TIME_WAIT, ... (CLOSE for unconnected UDP/raw)
	KeyProto                     // proto: the Proto column (tcp, tcp6, udp, udpl6, raw, ...)
	KeyLocalAddr                 // laddr: the host part of Local Address
	KeyLocalPort                 // lport: the port part of Local Address
	KeyRemoteAddr                // raddr: the host part of Foreign Address
	KeyRemotePort                // rport: the port part of Foreign Address
	KeyProgram                   // program: the program of the PID/Program name column
	KeyPID                       // pid: the PID of the PID/Program name column
	KeyUser                      // user: the User column of -e
)

var keyNames = [...]string{
	KeyState: "state", KeyProto: "proto", KeyLocalAddr: "laddr", KeyLocalPort: "lport",
	KeyRemoteAddr: "raddr", KeyRemotePort: "rport", KeyProgram: "program", KeyPID: "pid",
	KeyUser: "user",
}

// KeyNames lists the --count key names in Key order.
func KeyNames() []string { return append([]string(nil), keyNames[1:]...) }

// String returns the key's --count name.
func (k Key) String() string {
	if int(k) < len(keyNames) {
		return keyNames[k]
	}
	return "key" + strconv.Itoa(int(k))
}

// KeyError reports a group-by key ParseKeys does not know.
type KeyError struct {
	Name string
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("unknown key '%s' (want %s)", e.Name, strings.Join(keyNames[1:], ", "))
}

// ParseKeys returns the keys named by names (state, proto, laddr, lport, raddr, rport,
// program, pid, user). Errors are *KeyError values.
func ParseKeys(names []string) ([]Key, error) {
	keys := make([]Key, 0, len(names))
	for _, n := range names {
		i := slices.Index(keyNames[:], n)
		if i < 1 {
			return nil, &KeyError{Name: n}
		}
		keys = append(keys, Key(i))
	}
	return keys, nil
}

// NeedsOwners reports whether any of keys needs the socket owners (the -p table).
func NeedsOwners(keys []Key) bool {
	return slices.Contains(keys, KeyProgram) || slices.Contains(keys, KeyPID)
}

// KeyText renders the group-by fields of sockets as netstat prints them in its
// columns, but never truncated (as with -W).
type KeyText struct {
	// NumericHosts, NumericPorts and NumericUsers are -n, --numeric-hosts,
	// --numeric-ports and --numeric-users.
	NumericHosts, NumericPorts, NumericUsers bool
	// Names turns numbers into names where the options above allow it.
	Names resolve.Resolver
	// Program returns the process holding an inode (the lowest PID, as the -p column
	// shows). Needed for KeyProgram and KeyPID only.
	Program netstat.ProgramLookup
}

// Append appends the text of each key of s to dst.
func (t *KeyText) Append(dst []string, keys []Key, s *netstat.Socket) []string {
	for _, k := range keys {
		dst = append(dst, t.field(k, s))
	}
	return dst
}

func (t *KeyText) field(k Key, s *netstat.Socket) string {
	switch k {
	case KeyState:
		return s.State.String()
	case KeyProto:
		return protoColumn(s)
	case KeyLocalAddr:
		return resolve.HostText(s.Local.Addr(), t.NumericHosts, t.Names)
	case KeyRemoteAddr:
		return resolve.HostText(s.Remote.Addr(), t.NumericHosts, t.Names)
	case KeyLocalPort:
		return resolve.PortText(s.Local.Port(), s.Proto.ServiceProto(), t.NumericPorts, t.Names)
	case KeyRemotePort:
		return resolve.PortText(s.Remote.Port(), s.Proto.ServiceProto(), t.NumericPorts, t.Names)
	case KeyProgram, KeyPID:
		if t.Program == nil {
			return "-"
		}
		p := t.Program(s.Inode)
		switch {
		case p == nil:
			return "-"
		case k == KeyPID:
			return strconv.Itoa(p.PID)
		}
		// The program as the column shows it, cut where net-tools cuts it, so that a
		// count matches `awk '{print $7}' | cut -d/ -f2` over netstat -p.
		name, _ := netstat.ProgramColumnName(p)
		return name
	case KeyUser:
		if !t.NumericUsers {
			if name, ok := t.Names.UserName(s.UID); ok {
				return name
			}
		}
		return strconv.Itoa(int(int32(s.UID)))
	}
	return ""
}

// protoColumn is netstat's Proto column: tcp, tcp6, udp, udp6, udpl, udpl6, raw, raw6.
func protoColumn(s *netstat.Socket) string {
	p := s.Proto.String()
	if s.Proto == netstat.UDPLite {
		p = "udpl"
	}
	if s.Family == netstat.IPv6 {
		p += "6"
	}
	return p
}

// Group is one line of a count: the key texts, in the order the keys were given, and
// the number of sockets that have them.
type Group struct {
	Keys  []string
	Count int
}

// Counter counts sockets by their key texts. The zero Counter is ready to use.
type Counter struct {
	index  map[string]int // NUL-joined keys -> position in groups
	groups []Group
	total  int
	buf    []byte
}

// Add counts one socket whose key texts are fields.
func (c *Counter) Add(fields []string) {
	c.total++
	c.buf = c.buf[:0]
	for i, f := range fields {
		if i > 0 {
			c.buf = append(c.buf, 0)
		}
		c.buf = append(c.buf, f...)
	}
	if i, ok := c.index[string(c.buf)]; ok {
		c.groups[i].Count++
		return
	}
	if c.index == nil {
		c.index = make(map[string]int)
	}
	c.index[string(c.buf)] = len(c.groups)
	c.groups = append(c.groups, Group{Keys: slices.Clone(fields), Count: 1})
}

// Total returns the number of sockets counted, over every group.
func (c *Counter) Total() int { return c.total }

// Groups returns the groups in the order `LC_ALL=C sort | uniq -c | sort -rn` prints
// them: largest count first; equal counts in descending byte order of their keys
// joined by spaces (GNU sort's last-resort comparison of whole lines, reversed by -r).
// top > 0 keeps the first top groups, as `head -n top`. The Counter stays usable.
func (c *Counter) Groups(top int) []Group {
	type line struct {
		g    Group
		text string
	}
	lines := make([]line, len(c.groups))
	for i, g := range c.groups {
		lines[i] = line{g, strings.Join(g.Keys, " ")}
	}
	slices.SortStableFunc(lines, func(a, b line) int {
		if a.g.Count != b.g.Count {
			return cmp.Compare(b.g.Count, a.g.Count)
		}
		return strings.Compare(b.text, a.text)
	})
	if top > 0 && top < len(lines) {
		lines = lines[:top]
	}
	out := make([]Group, len(lines))
	for i, l := range lines {
		out[i] = l.g
	}
	return out
}

// AppendGroups appends groups as `uniq -c` prints its lines: the count right-aligned in
// seven columns ("%7d "), then the key texts separated by single spaces.
func AppendGroups(b []byte, groups []Group) []byte {
	for _, g := range groups {
		n := strconv.Itoa(g.Count)
		for i := len(n); i < 7; i++ {
			b = append(b, ' ')
		}
		b = append(b, n...)
		b = append(b, ' ')
		for i, k := range g.Keys {
			if i > 0 {
				b = append(b, ' ')
			}
			b = append(b, k...)
		}
		b = append(b, '\n')
	}
	return b
}
