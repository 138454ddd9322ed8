// Package tcpflow puts one direction of a TCP connection back in order: duplicated
// and retransmitted bytes are delivered once, segments that arrive early wait (up to a
// cap) for the ones before them, and a hole that does not fill is reported as a gap.
// It is pure: segments in, ordered bytes out through a callback.
package tcpflow

// MaxPending is the default cap on the bytes one direction holds while it waits for
// a missing segment. Past it the stream gives up on the hole and reports a gap.
const MaxPending = 4 << 20

// Sink receives a stream's bytes in order. Data's slice is only valid during the call.
type Sink interface {
	Data(b []byte)
	// Gap reports that bytes are missing before the next Data.
	Gap()
}

// Stream is one direction of a TCP connection. The zero value starts at the first
// segment it sees (a capture that begins mid-connection); a SYN sets the start.
type Stream struct {
	// MaxPending caps the bytes held out of order; 0 means the package's MaxPending.
	MaxPending int

	started bool
	next    uint32 // sequence number of the next byte to deliver
	pending []segment
	held    int
}

type segment struct {
	seq  uint32
	data []byte
}

// Held returns the bytes the stream holds out of order.
func (s *Stream) Held() int { return s.held }

// Add feeds one segment: its sequence number, whether it carries SYN, and its payload
// (which Add copies if it must keep it).
func (s *Stream) Add(seq uint32, syn bool, payload []byte, sink Sink) {
	if syn {
		s.started, s.next = true, seq+1
		s.pending, s.held = nil, 0
		seq++
	}
	if len(payload) == 0 {
		return
	}
	if !s.started {
		s.started, s.next = true, seq
	}
	// Trim what was already delivered (retransmissions and duplicates).
	if d := int32(s.next - seq); d > 0 {
		if int(d) >= len(payload) {
			return
		}
		payload, seq = payload[d:], s.next
	}
	if seq != s.next {
		s.hold(seq, payload, sink)
		return
	}
	sink.Data(payload)
	s.next += uint32(len(payload))
	s.drain(sink)
}

// hold keeps a copy of an early segment, in sequence order; past the cap it gives up
// on the hole.
func (s *Stream) hold(seq uint32, payload []byte, sink Sink) {
	i := len(s.pending)
	for i > 0 && int32(s.pending[i-1].seq-seq) > 0 {
		i--
	}
	if i > 0 && s.pending[i-1].seq == seq && len(s.pending[i-1].data) >= len(payload) {
		return // a duplicate of a held segment
	}
	s.pending = append(s.pending, segment{})
	copy(s.pending[i+1:], s.pending[i:])
	s.pending[i] = segment{seq: seq, data: append([]byte(nil), payload...)}
	s.held += len(payload)
	limit := s.MaxPending
	if limit == 0 {
		limit = MaxPending
	}
	if s.held > limit {
		// Skip the hole: resume at the first held segment.
		sink.Gap()
		s.next = s.pending[0].seq
		s.drain(sink)
	}
}

// drain delivers the held segments that have become contiguous.
func (s *Stream) drain(sink Sink) {
	for len(s.pending) > 0 {
		p := s.pending[0]
		d := int32(s.next - p.seq)
		if d < 0 {
			return
		}
		s.pending = s.pending[1:]
		s.held -= len(p.data)
		if int(d) < len(p.data) {
			sink.Data(p.data[d:])
			s.next += uint32(len(p.data) - int(d))
		}
	}
	s.pending = nil
}
