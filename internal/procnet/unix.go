package procnet

import (
	"bufio"
	"bytes"
	"io"

	"github.com/netstat-go/netstat/netstat"
)

// unix.go parses /proc/net/unix, printed by the kernel's unix_seq_show:
//
//	Num       RefCount Protocol Flags    Type St Inode Path
//	0000000000000000: 00000002 00000000 00010000 0001 01 14626 /tmp/sock

// UnixBogusMessage is net-tools' complaint about an unparsable /proc/net/unix line.
const UnixBogusMessage = "warning, got bogus unix line."

// ScanUnix reads /proc/net/unix and calls fn for each socket in file order. The header
// decides whether the Inode column exists. Lines net-tools would reject (fewer than six
// fields) are reported through warn and skipped. The *UnixSocket is reused.
func ScanUnix(r io.Reader, warn func(string), fn func(*netstat.UnixSocket) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	hasInode := false
	var u netstat.UnixSocket
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			hasInode = bytes.Contains(sc.Bytes(), []byte("Inode"))
			continue
		}
		if !ParseUnixLine(sc.Bytes(), hasInode, &u) {
			if warn != nil {
				warn(UnixBogusMessage)
			}
			continue
		}
		if err := fn(&u); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ParseUnixLine parses one data line ("%p: %lX %lX %lX %X %X %lu %s", without the %lu
// when the file has no Inode column) and reports whether net-tools accepts it.
func ParseUnixLine(line []byte, hasInode bool, u *netstat.UnixSocket) bool {
	*u = netstat.UnixSocket{HasInode: hasInode}
	sc := scanner{b: line}
	var ignored, typ, state uint64
	n := 0
	if sc.hex(&ignored) && sc.lit(':') {
		n++
		fields := []*uint64{&u.RefCnt, &u.Protocol, &u.Flags, &typ, &state}
		for _, f := range fields {
			if !sc.hex(f) {
				break
			}
			n++
		}
	}
	if n == 6 && hasInode {
		if sc.decimal(&u.Inode) {
			n++
		}
	}
	if n < 6 {
		return false
	}
	u.Type = netstat.UnixType(typ)
	u.State = netstat.UnixState(state)
	if n == 6 && hasInode {
		return true
	}
	sc.skipSpace()
	start := sc.i
	for sc.i < len(sc.b) && !isSpace(sc.b[sc.i]) {
		sc.i++
	}
	u.Path = string(sc.b[start:sc.i])
	return true
}
