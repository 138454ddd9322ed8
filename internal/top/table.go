package top

import (
	"encoding/binary"
	"math"
	"net/netip"
	"time"

	"github.com/netstat-go/netstat/netstat"
)

// record is what a refresh keeps of one socket: what the table shows and what the
// next refresh needs for its deltas, in 88 bytes without pointers (a netstat.Socket
// with its tcp_info is about 500, and the garbage collector scans it). Addresses are
// kept as 16 bytes (IPv4 in its IPv4-mapped form) with their kind in flags.
type record struct {
	local, remote   [16]byte
	lport, rport    uint16
	proto           netstat.Proto
	state           netstat.TCPState
	flags           uint8 // address kinds, tcp_info, family
	bits            uint8 // a row's mark, age, hasRate and indexed (see row)
	uid             uint32
	rtt             uint32 // tcp_info's smoothed RTT in microseconds
	recvQ, sendQ    uint32
	inode, cookie   uint64
	acked, received uint64 // tcp_info's bytes_acked and bytes_received
}

// Address kinds (2 bits per endpoint in record.flags), and the tcp_info flag.
const (
	addrNone = 0 // the invalid netip.Addr
	addr4    = 1
	addr16   = 2

	remoteKindShift = 2
	flagInfo        = 1 << 4
	flagIPv6        = 1 << 5 // an AF_INET6 socket
)

func packAddr(a netip.Addr) ([16]byte, uint8) {
	switch {
	case a.Is4():
		return a.As16(), addr4
	case a.IsValid():
		return a.As16(), addr16
	}
	return [16]byte{}, addrNone
}

func unpackAddr(b [16]byte, kind uint8) netip.Addr {
	switch kind {
	case addr4:
		return netip.AddrFrom4([4]byte(b[12:]))
	case addr16:
		return netip.AddrFrom16(b)
	}
	return netip.Addr{}
}

// saturate32 caps v at the largest uint32.
func saturate32(v uint64) uint32 { return uint32(min(v, math.MaxUint32)) }

// set fills r from s (which the stream reuses: nothing of it is kept).
func (r *record) set(s *netstat.Socket) {
	var lk, rk uint8
	r.local, lk = packAddr(s.Local.Addr())
	r.remote, rk = packAddr(s.Remote.Addr())
	r.lport, r.rport = s.Local.Port(), s.Remote.Port()
	r.proto, r.state = s.Proto, s.State
	r.flags = lk | rk<<remoteKindShift
	if s.Family == netstat.IPv6 {
		r.flags |= flagIPv6
	}
	r.uid = s.UID
	r.recvQ, r.sendQ = saturate32(s.RecvQ), saturate32(s.SendQ)
	r.inode, r.cookie = s.Inode, s.Cookie
	r.rtt, r.acked, r.received = 0, 0, 0
	if i := s.Info; i != nil {
		r.flags |= flagInfo
		r.rtt = saturate32(uint64(max(i.RTT/time.Microsecond, 0)))
		r.acked, r.received = i.BytesAcked, i.BytesReceived
	}
}

func (r *record) hasInfo() bool { return r.flags&flagInfo != 0 }

// family is the socket's address family.
func (r *record) family() netstat.Family {
	if r.flags&flagIPv6 != 0 {
		return netstat.IPv6
	}
	return netstat.IPv4
}

func (r *record) localAP() netip.AddrPort {
	return netip.AddrPortFrom(unpackAddr(r.local, r.flags&3), r.lport)
}

func (r *record) remoteAP() netip.AddrPort {
	return netip.AddrPortFrom(unpackAddr(r.remote, r.flags>>remoteKindShift&3), r.rport)
}

// id is netstat.SocketKey's ID: what tells apart sockets without a remote end.
func (r *record) id() uint64 {
	if r.rport != 0 {
		return 0
	}
	if r.inode != 0 {
		return r.inode
	}
	return r.cookie | 1<<63
}

// key is the socket's netstat.SocketKey.
func (r *record) key() netstat.SocketKey {
	return netstat.SocketKey{Proto: r.proto, Local: r.localAP(), Remote: r.remoteAP(), ID: r.id()}
}

// sameKey reports whether r and o are the same socket (equal SocketKeys).
func (r *record) sameKey(o *record) bool {
	return r.local == o.local && r.remote == o.remote && r.lport == o.lport && r.rport == o.rport &&
		r.proto == o.proto && r.flags&0xf == o.flags&0xf && r.id() == o.id()
}

// hash mixes the words of the key (a multiply-xorshift, as in splitmix64).
func (r *record) hash() uint64 {
	h := uint64(r.proto) | uint64(r.lport)<<8 | uint64(r.rport)<<24 | uint64(r.flags&0xf)<<40
	for _, w := range [...]uint64{
		binary.LittleEndian.Uint64(r.local[:8]), binary.LittleEndian.Uint64(r.local[8:]),
		binary.LittleEndian.Uint64(r.remote[:8]), binary.LittleEndian.Uint64(r.remote[8:]), r.id(),
	} {
		h = (h ^ w) * 0x9e3779b97f4a7c15
		h ^= h >> 31
	}
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>29
}

// socket fills s with what r knows of the socket (no tcp_info, timers or cgroup).
func (r *record) socket(s *netstat.Socket) {
	*s = netstat.Socket{Proto: r.proto, Family: r.family(), Local: r.localAP(), Remote: r.remoteAP(),
		State: r.state, RecvQ: uint64(r.recvQ), SendQ: uint64(r.sendQ), UID: r.uid, Inode: r.inode, Cookie: r.cookie}
}

// Owner states of a row, besides an index into Model.sets.
const (
	ownerUnknown int32 = -1 // not looked up yet
	ownerAsked   int32 = -2 // a look-up is running
	ownerNone    int32 = -3 // no process holds it that we can see
)

// row is one socket of the table: the latest values seen for it, its owners and what
// changed. Rows live in slots that keep their index while the socket lives, so the
// sort order and the index survive refreshes.
type row struct {
	record
	// tx and rx are the growth of tcp_info's bytes_acked and bytes_received since the
	// previous refresh (Model.rate makes rates of them).
	tx, rx float32
	// owner indexes Model.sets, or is one of the owner states.
	owner int32
	// next is the slot of the socket that followed this one in the last stream, or -1:
	// streams come in the kernel's hash-table order, which changes little, so the next
	// socket of a stream is almost always found there without a look-up.
	next int32
	// record.bits holds, to keep a row at 104 bytes: the mark (2 bits); its age (2
	// bits), the refreshes a closed row has been shown for, or a new or changed row
	// has been shown marked after the first; hasRate, false until two samples exist;
	// and indexed, false for a socket whose key another row held in the same stream
	// (see newRow), which is not in the index.
}

const (
	bitsMark    = 3
	bitsAgeUnit = 4
	bitsAge     = 3 * bitsAgeUnit
	bitsRate    = 16
	bitsIndexed = 32
)

func (r *row) mark() mark    { return mark(r.bits & bitsMark) }
func (r *row) age() int      { return int(r.bits&bitsAge) / bitsAgeUnit }
func (r *row) hasRate() bool { return r.bits&bitsRate != 0 }
func (r *row) indexed() bool { return r.bits&bitsIndexed != 0 }
func (r *row) setMark(k mark, age int) {
	r.bits = r.bits&^(bitsMark|bitsAge) | uint8(k) | uint8(min(age, 3))*bitsAgeUnit
}

func (r *row) setBit(b uint8, on bool) {
	if on {
		r.bits |= b
	} else {
		r.bits &^= b
	}
}

// update copies rec into the row, keeping the row's own bits.
func (r *row) update(rec *record) {
	bits := r.bits
	r.record = *rec
	r.bits = bits
}

// Slot states in Model.slot.
const (
	slotFree  uint8 = 1 << iota // no socket
	slotMoved                   // new, or its state or owner changed: re-sort it
)

// rowChunk is the number of rows in a chunk of a rowStore (416 KiB).
const rowChunk = 4096

// rowStore holds the rows in chunks, so that it grows without copying, leaving
// garbage or doubling its size at 200,000 sockets.
type rowStore struct {
	chunks [][]row
	n      int
}

func (s *rowStore) len() int { return s.n }

func (s *rowStore) at(i int) *row { return &s.chunks[i/rowChunk][i%rowChunk] }

// grow adds a zero row and returns its slot.
func (s *rowStore) grow() int32 {
	if s.n/rowChunk == len(s.chunks) {
		s.chunks = append(s.chunks, make([]row, rowChunk))
	}
	s.n++
	return int32(s.n - 1)
}

// A refresh applies a stream in three steps, as its chunks arrive: beginApply,
// applyChunk for each chunk, endApply. Together they diff the stream against the
// rows: known sockets are updated (and marked changed when their state changed), new
// ones are added (marked new, except in the first stream), and, when the stream was
// whole, rows not in it are marked closed, then dropped after closedRefreshes
// refreshes. TCP rates are the byte-counter deltas over the time between the two
// streams. It costs one pass over the records and one over a byte per slot: a record
// is looked up in the index only when it is not where the previous stream had its
// predecessor's successor.

// beginApply starts applying a stream.
func (m *Model) beginApply() {
	if m.applying {
		m.endApply(time.Time{}, false) // the previous stream was abandoned
	}
	m.applying = true
	m.gen++
	m.prevSlot, m.pred = -1, m.head
	m.newCounts = [4]int{}
}

// applyChunk applies the next records of the stream.
func (m *Model) applyChunk(recs []record) {
	gen := uint8(m.gen)
	prev, pred := m.prevSlot, m.pred
	for i := range recs {
		rec := &recs[i]
		s := int32(-1)
		if pred >= 0 && m.slot[pred]&slotFree == 0 && m.seen[pred] != gen && m.rows.at(int(pred)).sameKey(rec) {
			s = pred
		} else if j, ok := m.find(rec); ok && m.seen[j] != gen {
			s = j
		}
		var r *row
		if s < 0 || m.rows.at(int(s)).mark() == markClosed {
			if s < 0 {
				s = m.newRow(rec)
			}
			r = m.rows.at(int(s))
			r.update(rec)
			r.tx, r.rx = 0, 0
			r.setBit(bitsRate, false)
			r.setMark(markNone, 0)
			if m.loaded {
				r.setMark(markNew, 0)
			}
			r.owner = ownerUnknown
			if rec.inode == 0 {
				r.owner = ownerNone
			}
			m.slot[s] |= slotMoved
			m.pendingOwners = true
		} else {
			r = m.rows.at(int(s))
			switch {
			case r.state != rec.state:
				r.setMark(markChanged, 0)
				m.slot[s] |= slotMoved
			case (r.mark() == markNew || r.mark() == markChanged) && r.age()+1 < markedRefreshes:
				r.setMark(r.mark(), r.age()+1)
			default:
				r.setMark(markNone, 0)
			}
			rate := r.hasInfo() && rec.hasInfo() && rec.rport != 0 && rec.acked >= r.acked && rec.received >= r.received
			if rate {
				r.tx = float32(rec.acked - r.acked)
				r.rx = float32(rec.received - r.received)
			}
			r.setBit(bitsRate, rate)
			r.update(rec)
		}
		m.seen[s] = gen
		m.newCounts[r.mark()]++
		pred = r.next
		r.next = -1
		if prev >= 0 {
			m.rows.at(int(prev)).next = s
		} else {
			m.head = s
		}
		prev = s
	}
	m.prevSlot, m.pred = prev, pred
}

// endApply ends the stream taken at taken; whole is false when it failed or was
// abandoned part way, and then no row is closed.
func (m *Model) endApply(taken time.Time, whole bool) {
	m.applying = false
	if !whole {
		m.counts = [4]int{}
		for i, st := range m.slot {
			if st&slotFree == 0 {
				m.counts[m.rows.at(i).mark()]++
			}
		}
		return
	}
	if m.prevSlot < 0 {
		m.head = -1
	}
	gen := uint8(m.gen)
	// Rows the stream did not have: closed, then gone.
	for i, st := range m.slot {
		if st&slotFree != 0 || m.seen[i] == gen {
			continue
		}
		r := m.rows.at(i)
		switch {
		case r.mark() != markClosed:
			r.setMark(markClosed, 1)
			r.setBit(bitsRate, false)
			r.next = -1
		case r.age() >= closedRefreshes:
			m.freeRow(int32(i))
			continue
		default:
			r.setMark(markClosed, r.age()+1)
		}
		m.newCounts[markClosed]++
	}
	m.counts = m.newCounts
	m.dt = taken.Sub(m.taken).Seconds()
	m.taken, m.loaded = taken, true
}

// rate is a byte delta of a refresh (row.tx, row.rx) per second.
func (m *Model) rate(delta float64) float64 {
	if m.dt <= 0 {
		return 0
	}
	return delta / m.dt
}

// find returns the slot of the row with rec's key.
func (m *Model) find(rec *record) (int32, bool) { return m.index.find(&m.rows, rec) }

// newRow takes a free slot (or a new one) for rec and indexes it.
func (m *Model) newRow(rec *record) int32 {
	var s int32
	if n := len(m.free); n > 0 {
		s = m.free[n-1]
		m.free = m.free[:n-1]
		m.slot[s] = 0
	} else {
		s = m.rows.grow()
		m.slot = append(m.slot, 0)
		m.seen = append(m.seen, 0)
	}
	m.live++
	r := m.rows.at(int(s))
	r.record = *rec
	r.bits = 0
	r.next = -1
	// A key twice in one stream (only /proc fallbacks without inode or cookie can do
	// that) is kept unindexed.
	r.setBit(bitsIndexed, m.index.insert(&m.rows, s, rec))
	return s
}

// freeRow drops the row in slot s.
func (m *Model) freeRow(s int32) {
	r := m.rows.at(int(s))
	if r.indexed() {
		m.index.remove(&m.rows, s, &r.record)
	}
	*r = row{next: -1, owner: ownerNone}
	m.slot[s] = slotFree
	m.free = append(m.free, s)
	m.live--
}

// rowByKey returns the row of the socket with key k.
func (m *Model) rowByKey(k netstat.SocketKey) (*row, bool) {
	if j, ok := m.slotByKey(k); ok {
		return m.rows.at(int(j)), true
	}
	return nil, false
}

// slotByKey returns the slot of the socket with key k.
func (m *Model) slotByKey(k netstat.SocketKey) (int32, bool) {
	var s netstat.Socket
	s.Proto, s.Local, s.Remote = k.Proto, k.Local, k.Remote
	if k.Remote.Port() == 0 {
		// id() gives back k.ID from an inode, or from a cookie with the top bit set.
		if k.ID&(1<<63) != 0 {
			s.Cookie = k.ID &^ (1 << 63)
		} else {
			s.Inode = k.ID
		}
	}
	var rec record
	rec.set(&s)
	if j, ok := m.find(&rec); ok && m.slot[j]&slotFree == 0 {
		return j, true
	}
	return 0, false
}
