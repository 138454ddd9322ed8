package tcpflow

import (
	"bytes"
	"strings"
	"testing"
)

type sink struct {
	b    strings.Builder
	gaps int
}

func (s *sink) Data(b []byte) { s.b.Write(b) }
func (s *sink) Gap()          { s.gaps++; s.b.WriteString("|") }

func TestStream(t *testing.T) {
	type seg struct {
		seq  uint32
		syn  bool
		data string
	}
	const isn = 0xfffffff0 // the sequence numbers wrap
	for _, tc := range []struct {
		name string
		segs []seg
		want string
	}{
		{"in order", []seg{{isn, true, ""}, {isn + 1, false, "abc"}, {isn + 4, false, "def"}}, "abcdef"},
		{"swapped", []seg{{isn, true, ""}, {isn + 4, false, "def"}, {isn + 1, false, "abc"}}, "abcdef"},
		{"duplicated", []seg{{isn, true, ""}, {isn + 1, false, "abc"}, {isn + 1, false, "abc"}, {isn + 4, false, "def"}, {isn + 4, false, "def"}}, "abcdef"},
		{"overlap", []seg{{isn, true, ""}, {isn + 1, false, "abcd"}, {isn + 3, false, "cdefg"}}, "abcdefg"},
		{"held duplicate", []seg{{isn, true, ""}, {isn + 7, false, "gh"}, {isn + 7, false, "gh"}, {isn + 1, false, "abcdef"}}, "abcdefgh"},
		{"mid-session", []seg{{500, false, "xyz"}, {503, false, "w"}}, "xyzw"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var st Stream
			var s sink
			for _, g := range tc.segs {
				st.Add(g.seq, g.syn, []byte(g.data), &s)
			}
			if s.b.String() != tc.want || st.Held() != 0 {
				t.Errorf("got %q (held %d), want %q", s.b.String(), st.Held(), tc.want)
			}
		})
	}
}

func TestStreamCap(t *testing.T) {
	st := Stream{MaxPending: 8}
	var s sink
	st.Add(0, true, nil, &s)
	st.Add(6, false, []byte("fghij"), &s) // bytes 1..5 never come
	st.Add(11, false, []byte("klmno"), &s)
	if s.b.String() != "|fghijklmno" || s.gaps != 1 || st.Held() != 0 {
		t.Errorf("got %q, %d gaps, %d held", s.b.String(), s.gaps, st.Held())
	}
}

func FuzzStream(f *testing.F) {
	f.Add([]byte{0, 5, 3, 1, 2, 9, 9, 4})
	f.Fuzz(func(t *testing.T, ops []byte) {
		// Cut a known text into segments at fuzzed offsets and lengths; whatever the
		// order, every delivered byte must be the text's byte at that position.
		text := []byte("0123456789abcdefghijklmnopqrstuvwxyz")
		st := Stream{MaxPending: 16}
		var s checker
		s.text = text
		st.Add(99, true, nil, &s)
		for i := 0; i+1 < len(ops); i += 2 {
			off := int(ops[i]) % len(text)
			n := min(int(ops[i+1])%8+1, len(text)-off)
			st.Add(100+uint32(off), false, text[off:off+n], &s)
		}
		if s.bad {
			t.Fatal("delivered a byte out of place")
		}
	})
}

type checker struct {
	text   []byte
	pos    int
	bad    bool
	resync bool
}

func (c *checker) Data(b []byte) {
	if c.resync {
		// After a gap the stream resumes at a held segment: the text's bytes are all
		// different, so the first one says where.
		c.pos, c.resync = bytes.IndexByte(c.text, b[0]), false
	}
	for _, x := range b {
		if c.pos >= len(c.text) || c.text[c.pos] != x {
			c.bad = true
		}
		c.pos++
	}
}

func (c *checker) Gap() { c.resync = true }
