package mysqlproto

// framer cuts one direction's bytes into protocol packets, joining the 16 MiB pieces
// of a long packet.
type framer struct {
	buf    []byte
	synced bool
	skip   int // bytes of an oversized packet still to skip
	joined []byte
	jseq   byte
}

func (f *framer) gap() {
	f.buf, f.synced, f.skip, f.joined = f.buf[:0], false, 0, nil
}

// feed adds bytes and calls packet for every whole packet: seq is the sequence id of
// its first piece; p is nil for a packet too long to hold, with size its length.
// When unsynchronised, a chunk is taken as a packet start only if its header is
// plausible (a client command with sequence id 0), else dropped.
func (f *framer) feed(b []byte, client bool, packet func(seq byte, p []byte, size int)) {
	if !f.synced {
		if len(b) < 5 || (client && (b[3] != 0 || b[4] == 0 || b[4] > 0x1f)) || !client {
			return
		}
		f.synced = true
	}
	for len(b) > 0 {
		if f.skip > 0 {
			n := min(f.skip, len(b))
			f.skip -= n
			b = b[n:]
			continue
		}
		if len(f.buf) < 4 {
			n := min(4-len(f.buf), len(b))
			f.buf = append(f.buf, b[:n]...)
			b = b[n:]
			if len(f.buf) < 4 {
				return
			}
		}
		size := int(f.buf[0]) | int(f.buf[1])<<8 | int(f.buf[2])<<16
		seq := f.buf[3]
		if len(f.joined)+size > MaxPacket {
			f.buf = f.buf[:0]
			f.skip = size
			f.joined = nil
			packet(seq, nil, size)
			continue
		}
		need := 4 + size - len(f.buf)
		n := min(need, len(b))
		f.buf = append(f.buf, b[:n]...)
		b = b[n:]
		if n < need {
			return
		}
		body := f.buf[4:]
		switch {
		case size == 0xffffff:
			if f.joined == nil {
				f.jseq = seq
			}
			f.joined = append(f.joined, body...)
		case f.joined != nil:
			whole := append(f.joined, body...)
			f.joined = nil
			packet(f.jseq, whole, len(whole))
		default:
			packet(seq, body, size)
		}
		f.buf = f.buf[:0]
		if cap(f.buf) > 1<<20 {
			f.buf = nil // do not keep a long statement's buffer for the next one
		}
	}
}
