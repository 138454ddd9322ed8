package procfd

import (
	"os"

	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ScanLive scans the /proc mounted at root (normally "/proc") with raw system calls:
// one openat per process, getdents over its fd directory and readlinkat relative to
// it, so that no fd costs a full path lookup. It is Scan's fast path for the live
// system.
//
// Its cost is the kernel's, per fd: getdents instantiates a dentry for each fd and
// readlinkat looks it up again, revalidates it against the process's fd table and
// formats the link (about 3.5 µs per fd here; 200,000 fds take 0.7 s of CPU). What
// runs in this process allocates nothing per fd: the dirent buffers are reused and the
// names are passed to readlinkat where getdents left them, NUL-terminated.
//
// readlinkat is kept over fstatat(2), which is about 10% cheaper: following an fd's
// link makes the kernel revalidate its target (NFS asks the server, d_weak_revalidate)
// and fetch its attributes, so a process holding a file on a hung mount would hang
// netstat -p. readlink only formats the name, as net-tools' own scan does.
func ScanLive(root string) *Owners { return scan(newSysTable(root), false) }

// Live is ScanLive done lazily: each Lookup reads only the processes it needs, in
// ascending PID order, and the last of them only up to the fd that answers it (see
// Owners.Lookup). A listing of a few listeners thus stops reading fds once their
// owners are known.
func Live(root string) *Owners { return lazy(newSysTable(root), false) }

// LiveEvery is Live keeping every process that holds each inode, for Holders (JSON's
// "processes").
func LiveEvery(root string) *Owners { return lazy(newSysTable(root), true) }

// ScanEveryLive is LiveEvery read at once: every process, every holder of each socket
// inode, no command line or UID. An exporter that caches socket owners between
// scrapes takes one such scan at a time and answers Holders from it without reads.
func ScanEveryLive(root string) *Owners { return scan(newSysTable(root), true) }

func newSysTable(root string) sysTable {
	return sysTable{root: root, bufs: &sync.Pool{New: func() any { return new(direntBuf) }}}
}

// direntBuf is a getdents buffer: 256 KiB holds the entries of about 10,000 fds.
type direntBuf [256 << 10]byte

// sysTable reads the /proc mounted at root with raw system calls.
type sysTable struct {
	root string
	bufs *sync.Pool // of *direntBuf, one per concurrent reader
}

func (t sysTable) pids() ([]int, error) {
	fd, err := unix.Open(t.root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	var pids []int
	err = t.readNames(fd, func(name []byte) {
		if pid, ok := parsePID(string(name)); ok {
			pids = append(pids, pid)
		}
	})
	return pids, err
}

func (t sysTable) openFDs(pid int) (fdCursor, bool) {
	var path [64]byte
	dir, err := openat(unix.AT_FDCWD, t.path(path[:0], pid, "/fd"), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return nil, errors.Is(err, unix.EACCES)
	}
	c := &sysCursor{t: t, dir: dir}
	// Since Linux 6.2 the size of an fd directory is the number of open fds.
	var st unix.Stat_t
	if unix.Fstat(dir, &st) == nil && st.Size >= minProbe {
		c.probing, c.left = true, int(st.Size)
	}
	return c, false
}

// A process with at least minProbe fds has them read by number, without getdents,
// until the gaps met pass 1/maxGapShare of their count (see sysCursor).
const (
	minProbe    = 64
	maxGapShare = 16
)

// sysCursor reads an fd directory with readlinkat, and getdents for the names.
//
// The names of a large process's fds are not listed first: its fds are asked for by
// number, 0, 1, 2…, until as many links were read as the directory's size says are
// open. getdents costs about 0.9 µs per fd here (it looks up, or makes, the dentry of
// each), a quarter of readlinkat's own cost, and fds are mostly dense. A missing
// number costs a failed readlinkat, so once the misses pass a sixteenth of the count
// (a sparse table, or fds closed meanwhile) the cursor lists the directory after all
// and reads the names from the number it had reached. The count is read when the
// directory is opened: if the number after the last one read is open by then, the
// cursor lists the directory from there too.
//
// It holds a dirent buffer while it lists: a paused cursor keeps its place in it.
type sysCursor struct {
	t   sysTable
	dir int
	// Reading by number (probing): the open fds not read yet, the next number, and
	// the numbers found missing.
	probing          bool
	left, fd, misses int
	// Listing: names below from were read by number.
	from int
	buf  *direntBuf
	b    []byte // the entries of buf not read yet
	eof  bool
}

// probe reads fds by number while that pays; it returns false when fn stopped it.
func (c *sysCursor) probe(fn func(uint64) bool) bool {
	var link [maxLinkLen]byte
	var name [24]byte
	for c.left > 0 {
		if c.misses > c.left/maxGapShare+c.fd/maxGapShare {
			break
		}
		n, err := readlinkat(c.dir, num(name[:0], c.fd), link[:])
		c.fd++
		if err != nil {
			c.misses++
			continue
		}
		c.left--
		if ino, ok := socketLink(link[:n]); ok && !fn(ino) {
			return false
		}
	}
	c.probing, c.eof, c.from = false, c.left <= 0, c.fd
	if c.eof {
		// The count was read before the fds: one opened since, above the last one
		// read, makes the cursor list the directory from there.
		if _, err := readlinkat(c.dir, num(name[:0], c.fd), link[:]); err == nil {
			c.eof = false
		}
	}
	return true
}

// num appends fd's decimal name and a NUL to b, and returns the name.
func num(b []byte, fd int) []byte {
	b = strconv.AppendInt(b, int64(fd), 10)
	return append(b, 0)[:len(b)]
}

// socketLink returns the inode of an fd link naming a socket.
func socketLink(link []byte) (uint64, bool) {
	if len(link) < len("socket:[") || !bytes.HasPrefix(link, []byte("socket:[")) && link[0] != '[' {
		return 0, false // pipes, files, anon inodes: the common case
	}
	return SocketInode(string(link))
}

func (c *sysCursor) next(fn func(uint64) bool) bool {
	if c.probing && !c.probe(fn) {
		return false
	}
	if c.eof {
		return true
	}
	if c.buf == nil {
		c.buf = c.t.bufs.Get().(*direntBuf)
	}
	var link [maxLinkLen]byte
	for {
		for len(c.b) >= 19 {
			reclen := int(binary.NativeEndian.Uint16(c.b[16:18]))
			if reclen < 19 || reclen > len(c.b) {
				c.b, c.eof = nil, true
				break
			}
			name := c.b[19:reclen]
			c.b = c.b[reclen:]
			i := bytes.IndexByte(name, 0)
			if i <= 0 || name[0] < '0' || name[0] > '9' {
				continue // ".", "..", or a name the kernel would not give
			}
			if c.from > 0 {
				if fd, err := strconv.Atoi(string(name[:i])); err == nil && fd < c.from {
					continue // read by number already
				}
			}
			n, err := readlinkat(c.dir, name[:i], link[:])
			if err != nil {
				continue
			}
			if ino, ok := socketLink(link[:n]); ok && !fn(ino) {
				return false
			}
		}
		if c.eof {
			return true
		}
		n, err := unix.Getdents(c.dir, c.buf[:])
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			c.eof = true
			continue
		}
		c.b = c.buf[:n]
	}
}

func (c *sysCursor) close() {
	unix.Close(c.dir)
	if c.buf != nil {
		c.t.bufs.Put(c.buf)
		c.buf, c.b = nil, nil
	}
}

// path appends root/pid/name and a NUL to b.
func (t sysTable) path(b []byte, pid int, name string) []byte {
	b = append(b, t.root...)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(pid), 10)
	return append(append(b, name...), 0)
}

func (t sysTable) fdDir(pid int) (int, bool) {
	var path [64]byte
	dir, err := openat(unix.AT_FDCWD, t.path(path[:0], pid, "/fd"), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC)
	if err != nil {
		return 0, errors.Is(err, unix.EACCES)
	}
	defer unix.Close(dir)
	// Since Linux 6.2 the size of an fd directory is the number of open fds.
	var st unix.Stat_t
	if unix.Fstat(dir, &st) != nil {
		return 0, false
	}
	return int(max(st.Size, 0)), false
}

func (t sysTable) cmdline(pid int) []byte {
	var path [64]byte
	fd, err := openat(unix.AT_FDCWD, t.path(path[:0], pid, "/cmdline"), unix.O_RDONLY|unix.O_CLOEXEC)
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
// order, skipping "." and "..". The name slice is only valid during the call; the
// byte after it, within its capacity, is the NUL that ends it.
func (t sysTable) readNames(fd int, fn func(name []byte)) error {
	buf := t.bufs.Get().(*direntBuf)
	defer t.bufs.Put(buf)
	for {
		n, err := unix.Getdents(fd, buf[:])
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
			i := bytes.IndexByte(name, 0)
			if i < 0 {
				return nil // the kernel always ends names with NUL
			}
			name = name[:i]
			if !(len(name) == 1 && name[0] == '.') && !(len(name) == 2 && name[0] == '.' && name[1] == '.') {
				fn(name)
			}
			b = b[reclen:]
		}
	}
}

// readlinkat reads the target of name, a readNames name (NUL-terminated in place),
// relative to dir into buf.
//
// It is a raw system call, which does not tell the Go scheduler that the thread may
// block: a readlink of a /proc fd link formats a name the kernel holds (d_path) and
// never waits on I/O, and telling the scheduler cost 4 % of -tulpn's CPU (entersyscall
// and exitsyscall around 200,000 calls of 4 µs).
func readlinkat(dir int, name []byte, buf []byte) (int, error) {
	if len(name) == 0 || len(name) >= cap(name) || name[:len(name)+1][len(name)] != 0 || len(buf) == 0 {
		return 0, unix.EINVAL
	}
	for {
		n, _, errno := unix.RawSyscall6(unix.SYS_READLINKAT, uintptr(dir), uintptr(unsafe.Pointer(&name[0])),
			uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)), 0, 0)
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return 0, errno
		}
		return int(n), nil
	}
}

// openat opens the NUL-terminated path relative to dir.
func openat(dir int, path []byte, flags int) (int, error) {
	for {
		fd, _, errno := unix.Syscall6(unix.SYS_OPENAT, uintptr(dir), uintptr(unsafe.Pointer(&path[0])), uintptr(flags), 0, 0, 0)
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return -1, errno
		}
		return int(fd), nil
	}
}

// ScanHoldersLive is ScanHolders over the /proc mounted at root with ScanLive's
// system calls.
func ScanHoldersLive(root string) *Holders {
	return scanHolders(sysTable{root: root, bufs: &sync.Pool{New: func() any { return new(direntBuf) }}}, os.DirFS(root))
}
