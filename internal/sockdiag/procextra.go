package sockdiag

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"

	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/netstat"
)

// procExtra reads, from /proc/net/tcp and tcp6, the values of /proc's rows that
// inet_diag does not carry, only for the rows that need them:
//
//   - a listener's Send-Q: /proc prints write_seq - snd_una for every TCP socket, and it
//     is not 0 for a socket that listens after a connect attempt (connect(AF_UNSPEC)
//     adds 2 to write_seq) or after TCP_REPAIR set its sequence; inet_diag's
//     idiag_wqueue of a listener is its backlog, and tcp_info stops before the
//     sequence numbers for listeners. Listeners come first in the files, so only the
//     listener rows are read, in small reads.
//   - a request socket's timer expiry count (num_timeout, /proc's "retrnsmt"):
//     inet_diag's idiag_retrans is num_retrans, the SYN-ACKs actually resent, which
//     stays 0 behind TCP_DEFER_ACCEPT while the timer keeps expiring. Asked for with
//     timers only (netstat -o), since request sockets lie among all the others: the
//     whole file is read.
//   - a request socket's uid when two listeners of different uids share its address,
//     port and interface (see listenerIndex).
//
// A file that does not exist or may not be read leaves the netlink values. The
// values are read once per dump.
type procExtra struct {
	fsys fs.FS // rooted at /proc/thread-self: the namespace of the netlink socket
	// sendQ maps a listener's inode to its Send-Q, per family (index famIndex).
	sendQ [2]map[uint64]uint64
	// requests maps a request socket's endpoints to its /proc row, per family.
	requests [2]map[requestKey]requestRow
	// listenersRead and requestsRead record what was read in this dump.
	listenersRead, requestsRead [2]bool
}

type requestKey struct{ local, remote netip.AddrPort }

type requestRow struct {
	uid         uint32
	retransmits uint32
}

func famIndex(f netstat.Family) int {
	if f == netstat.IPv6 {
		return 1
	}
	return 0
}

// reset forgets what the previous dump read.
func (p *procExtra) reset() {
	for i := range 2 {
		clear(p.sendQ[i])
		clear(p.requests[i])
	}
	p.listenersRead, p.requestsRead = [2]bool{}, [2]bool{}
}

// listenerSendQ sets the Send-Q of the listener s to /proc's.
func (p *procExtra) listenerSendQ(s *netstat.Socket) error {
	i := famIndex(s.Family)
	if !p.listenersRead[i] {
		p.listenersRead[i] = true
		if p.sendQ[i] == nil {
			p.sendQ[i] = make(map[uint64]uint64)
		}
		m := p.sendQ[i]
		err := p.scan(s.Family, true, func(r *netstat.Socket) bool {
			if r.State != netstat.Listen {
				return false
			}
			if r.SendQ != 0 {
				m[r.Inode] = r.SendQ
			}
			return true
		})
		if err != nil {
			return err
		}
	}
	s.SendQ = p.sendQ[i][s.Inode]
	return nil
}

// request sets the retransmit count (with timers) and the uid (with uid) of the
// request socket s to /proc's, when /proc still lists it.
func (p *procExtra) request(s *netstat.Socket, timers, uid bool) error {
	i := famIndex(s.Family)
	if !p.requestsRead[i] {
		p.requestsRead[i] = true
		if p.requests[i] == nil {
			p.requests[i] = make(map[requestKey]requestRow)
		}
		m := p.requests[i]
		err := p.scan(s.Family, false, func(r *netstat.Socket) bool {
			if r.State == netstat.SynRecv && r.Inode == 0 {
				m[requestKey{r.Local, r.Remote}] = requestRow{uid: r.UID, retransmits: r.Retransmits}
			}
			return true
		})
		if err != nil {
			return err
		}
	}
	row, ok := p.requests[i][requestKey{s.Local, s.Remote}]
	if !ok {
		return nil
	}
	if timers {
		s.Retransmits = row.retransmits
	}
	if uid {
		s.UID = row.uid
	}
	return nil
}

// errStopScan ends a scan early.
var errStopScan = errors.New("stop")

// scan calls fn for each row of family's TCP file until fn returns false. small reads
// the file in small reads, so that the kernel formats little past the rows fn wants:
// a read makes the kernel format rows until the read's size is reached, and for
// tcp6 with few IPv6 sockets the rows after the listeners lie far apart in the
// established table (a 4 KiB first read of tcp6 cost 1.45 ms of CPU in a namespace
// of 20,000 IPv4 sockets, a 512-byte one 0.11 ms).
func (p *procExtra) scan(family netstat.Family, small bool, fn func(*netstat.Socket) bool) error {
	name := "net/tcp"
	if family == netstat.IPv6 {
		name = "net/tcp6"
	}
	f, err := p.fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			return nil
		}
		return fmt.Errorf("reading the values inet_diag lacks: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if small {
		r = &growingReader{r: f, size: 512}
	}
	err = procnet.ScanInet(r, netstat.TCP, nil, func(s *netstat.Socket) error {
		if !fn(s) {
			return errStopScan
		}
		return nil
	})
	if err != nil && err != errStopScan {
		return fmt.Errorf("reading /proc/%s for the values inet_diag lacks: %w", name, err)
	}
	return nil
}

// growingReader reads from a /proc file in reads of size bytes, doubling up to a page
// after each, so that the first reads make the kernel format only a few rows and many
// rows still take few reads.
type growingReader struct {
	r    io.Reader
	size int
}

func (g *growingReader) Read(b []byte) (int, error) {
	if len(b) > g.size {
		b = b[:g.size]
	}
	g.size = min(2*g.size, 4096)
	return g.r.Read(b)
}
