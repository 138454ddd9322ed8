package mysqlproto

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// frame wraps a payload in packet headers, splitting it at 16 MiB - 1 like a client.
func frame(seq byte, p []byte) []byte {
	var out []byte
	for {
		n := min(len(p), 0xffffff)
		out = append(out, byte(n), byte(n>>8), byte(n>>16), seq)
		out = append(out, p[:n]...)
		p = p[n:]
		seq++
		if n < 0xffffff {
			return out
		}
	}
}

func greeting() []byte { return frame(0, append([]byte{10}, "10.11.14-MariaDB\x00"...)) }

func handshake(caps uint32, user, db string) []byte {
	p := binary.LittleEndian.AppendUint32(nil, caps|capSecureConn)
	p = append(p, make([]byte, 28)...)
	p = append(p, user...)
	p = append(p, 0, 3, 'a', 'b', 'c')
	if caps&capConnectWithDB != 0 {
		p = append(p, db...)
		p = append(p, 0)
	}
	return frame(1, p)
}

func collect(c *Conn, client bool, chunks ...[]byte) []Event {
	var out []Event
	for _, b := range chunks {
		if client {
			c.ClientData(b, func(e Event) { out = append(out, e) })
		} else {
			c.ServerData(b, func(e Event) { out = append(out, e) })
		}
	}
	return out
}

func TestSession(t *testing.T) {
	var c Conn
	c.Start()
	var got []Event
	got = append(got, collect(&c, false, greeting())...)
	got = append(got, collect(&c, true, handshake(capConnectWithDB, "bob", "shop"))...)
	got = append(got, collect(&c, false, frame(2, []byte{0, 0, 0, 2, 0}))...) // OK
	long := "SELECT '" + strings.Repeat("é", 9_000_000) + "'"                 // over 16 MiB: two pieces
	q := frame(0, append([]byte{comQuery}, long...))
	// Delivered in uneven pieces, as TCP would.
	got = append(got, collect(&c, true, q[:3], q[3:1000], q[1000:])...)
	got = append(got, collect(&c, true, frame(0, append([]byte{comInitDB}, "logs"...)))...)
	got = append(got, collect(&c, true, frame(0, append([]byte{comStmtPrepare}, "SELECT ?, ?, ?"...)))...)
	ok := []byte{0, 7, 0, 0, 0, 1, 0, 3, 0, 0, 0, 0}
	got = append(got, collect(&c, false, frame(1, ok))...)
	exec := []byte{comStmtExecute, 7, 0, 0, 0, 0, 1, 0, 0, 0,
		0x02,                                     // null bitmap: the second parameter is NULL
		1,                                        // types follow
		typeLongLong, 0x80, typeNull, 0, 0xfd, 0, // unsigned bigint, null, var string
	}
	exec = binary.LittleEndian.AppendUint64(exec, 18446744073709551615)
	exec = append(exec, 4, 'i', 't', '\'', 's')
	got = append(got, collect(&c, true, frame(0, exec))...)
	// A second execute reuses the types.
	exec2 := []byte{comStmtExecute, 7, 0, 0, 0, 0, 1, 0, 0, 0, 0x00, 0}
	exec2 = binary.LittleEndian.AppendUint64(exec2, 5)
	exec2 = append(exec2, 1, 'x')
	got = append(got, collect(&c, true, frame(0, exec2))...)
	got = append(got, collect(&c, true, frame(0, []byte{comStmtExecute, 9, 0, 0, 0, 0, 1, 0, 0, 0}))...)

	want := []Event{
		{Kind: KindQuery, User: "bob", DB: "shop", Statement: long},
		{Kind: KindInitDB, User: "bob", DB: "logs", Statement: "logs"},
		{Kind: KindPrepare, User: "bob", DB: "logs", Statement: "SELECT ?, ?, ?"},
		{Kind: KindExecute, User: "bob", DB: "logs", Statement: "SELECT ?, ?, ?", StmtID: 7, Known: true, Params: []string{"18446744073709551615", "NULL", "'it''s'"}},
		{Kind: KindExecute, User: "bob", DB: "logs", Statement: "SELECT ?, ?, ?", StmtID: 7, Known: true, Params: []string{"5", "NULL", "'x'"}},
		{Kind: KindExecute, User: "bob", DB: "logs", StmtID: 9},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestTLSAndCompression(t *testing.T) {
	var c Conn
	c.Start()
	collect(&c, false, greeting())
	ssl := frame(1, append(binary.LittleEndian.AppendUint32(nil, capSSL|capSecureConn), make([]byte, 28)...))
	got := collect(&c, true, ssl, []byte{0x16, 3, 1, 0, 200, 1, 2, 3}, frame(0, []byte{comQuery, 'x'}))
	if diff := cmp.Diff([]Event{{Kind: KindTLS}}, got); diff != "" {
		t.Errorf("TLS (-want +got)\n%s", diff)
	}
	var z Conn
	z.Start()
	collect(&z, false, greeting())
	got = collect(&z, true, handshake(capCompress, "eve", ""), frame(0, []byte{comQuery, 'x'}))
	if diff := cmp.Diff([]Event{{Kind: KindCompressed, User: "eve"}}, got); diff != "" {
		t.Errorf("compressed (-want +got)\n%s", diff)
	}
	// A capture that starts inside a TLS connection.
	var m Conn
	got = collect(&m, true, []byte{0x17, 3, 3, 0, 40, 9, 9, 9, 9})
	if diff := cmp.Diff([]Event{{Kind: KindTLS}}, got); diff != "" {
		t.Errorf("mid-session TLS (-want +got)\n%s", diff)
	}
}

func TestValues(t *testing.T) {
	for _, tc := range []struct {
		t        byte
		unsigned bool
		b        []byte
		want     string
	}{
		{typeTiny, false, []byte{0xff}, "-1"},
		{typeTiny, true, []byte{0xff}, "255"},
		{typeShort, false, []byte{0xfe, 0xff}, "-2"},
		{typeLong, false, []byte{0, 0, 0, 0x80}, "-2147483648"},
		{typeDouble, false, binary.LittleEndian.AppendUint64(nil, 0x400c000000000000), "3.5"},
		{typeFloat, false, binary.LittleEndian.AppendUint32(nil, 0x3fc00000), "1.5"},
		{typeDateTime, false, []byte{11, 0xea, 0x07, 12, 31, 23, 59, 58, 1, 0, 0, 0}, "'2026-12-31 23:59:58.000001'"},
		{typeDate, false, []byte{4, 0xea, 0x07, 1, 2}, "'2026-01-02'"},
		{typeTime, false, []byte{8, 1, 1, 0, 0, 0, 2, 3, 4}, "'-26:03:04'"},
		{typeNewDecimal, false, []byte{4, '1', '.', '2', '5'}, "1.25"},
		{0xfe, false, []byte{2, '\\', 'n'}, `'\\n'`},
	} {
		got, n, ok := value(tc.t, tc.unsigned, tc.b)
		if !ok || got != tc.want || n != len(tc.b) {
			t.Errorf("type %d %x: %q (%d bytes, %v), want %q", tc.t, tc.b, got, n, ok, tc.want)
		}
	}
}

func TestMidSessionResync(t *testing.T) {
	var c Conn // no Start: the capture began mid-connection
	q := frame(0, append([]byte{comQuery}, "SELECT 2"...))
	got := collect(&c, true, []byte("tail of an earlier statement"), q)
	if diff := cmp.Diff([]Event{{Kind: KindQuery, Statement: "SELECT 2"}}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func FuzzConn(f *testing.F) {
	f.Add(greeting(), handshake(capConnectWithDB, "u", "d"), frame(0, []byte{comStmtPrepare, '?'}), frame(1, []byte{0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}), true)
	f.Add([]byte{}, frame(0, []byte{comStmtExecute, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0xfe, 0, 0xfc}), []byte{}, []byte{}, false)
	f.Fuzz(func(t *testing.T, s1, c1, c2, s2 []byte, start bool) {
		var c Conn
		if start {
			c.Start()
		}
		emit := func(Event) {}
		c.ServerData(s1, emit)
		c.ClientData(c1, emit)
		c.ClientData(c2, emit)
		c.ServerData(s2, emit)
		c.ClientData(c1, emit)
		c.ClientGap()
		c.ClientData(c2, emit)
	})
}
