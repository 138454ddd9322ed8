package procfd

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"

	"golang.org/x/sys/unix"
)

// ScanLive scans the /proc mounted at root (normally "/proc") with raw system calls:
// one openat per process, getdents over its fd directory and readlinkat relative to
// it, so that no fd costs a full path lookup. It is Scan's fast path for the live
// system.
func ScanLive(root string) *Owners {
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &Owners{Unreadable: true}
	}
	defer unix.Close(fd)
	return scan(sysTable{root: fd})
}

// sysTable reads /proc through a directory fd.
type sysTable struct{ root int }

func (t sysTable) pids() ([]int, error) {
	var pids []int
	err := readNames(t.root, func(name []byte) {
		if pid, ok := parsePID(string(name)); ok {
			pids = append(pids, pid)
		}
	})
	return pids, err
}

func (t sysTable) socketInodes(pid int, inodes []uint64) ([]uint64, bool) {
	dir, err := unix.Openat(t.root, strconv.Itoa(pid)+"/fd", unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return inodes, errors.Is(err, unix.EACCES)
	}
	defer unix.Close(dir)
	var link [maxLinkLen]byte
	prefix := []byte("socket:[")
	_ = readNames(dir, func(name []byte) {
		if len(name) == 0 || name[0] < '0' || name[0] > '9' {
			return
		}
		n, err := readlinkat(dir, name, link[:])
		if err != nil || n < len(prefix) {
			return
		}
		if !bytes.HasPrefix(link[:n], prefix) && link[0] != '[' {
			return // pipes, files, anon inodes: the common case, no allocation
		}
		if ino, ok := SocketInode(string(link[:n])); ok {
			inodes = append(inodes, ino)
		}
	})
	return inodes, false
}

func (t sysTable) cmdline(pid int) []byte {
	fd, err := unix.Openat(t.root, strconv.Itoa(pid)+"/cmdline", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer unix.Close(fd)
	buf := make([]byte, maxCmdline)
	n := 0
	for n < len(buf) {
		m, err := unix.Read(fd, buf[n:])
		if m <= 0 || err != nil {
			break
		}
		n += m
	}
	return buf[:n]
}

// readNames calls fn with the name of every entry of the directory fd, in directory
// order, skipping "." and "..". The name slice is only valid during the call.
func readNames(fd int, fn func(name []byte)) error {
	buf := make([]byte, 32*1024)
	for {
		n, err := unix.Getdents(fd, buf)
		if err != nil {
			if err == unix.EINTR {
				continue
			}
			return err
		}
		if n <= 0 {
			return nil
		}
		b := buf[:n]
		for len(b) >= 19 {
			reclen := int(binary.NativeEndian.Uint16(b[16:18]))
			if reclen < 19 || reclen > len(b) {
				return nil
			}
			name := b[19:reclen]
			if i := bytes.IndexByte(name, 0); i >= 0 {
				name = name[:i]
			}
			if !(len(name) == 1 && name[0] == '.') && !(len(name) == 2 && name[0] == '.' && name[1] == '.') {
				fn(name)
			}
			b = b[reclen:]
		}
	}
}

// readlinkat reads the target of name into buf.
func readlinkat(dir int, name []byte, buf []byte) (int, error) {
	return unix.Readlinkat(dir, string(name), buf)
}
