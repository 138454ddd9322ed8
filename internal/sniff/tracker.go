package sniff

import (
	"net/netip"
	"time"

	"github.com/netstat-go/netstat/internal/sniff/httpreq"
	"github.com/netstat-go/netstat/internal/sniff/mysqlproto"
	"github.com/netstat-go/netstat/internal/sniff/packet"
	"github.com/netstat-go/netstat/internal/sniff/tcpflow"
)

const (
	maxConns = 1 << 16         // connections followed at once
	idleAge  = 5 * time.Minute // a connection silent this long is forgotten
	sweepGap = 1 << 14         // packets between two sweeps for idle connections
)

type connKey struct{ client, server netip.AddrPort }

// conn is one followed TCP connection: its two directions and the state of the
// protocol parser the recipe uses.
type conn struct {
	key      connKey
	up, down tcpflow.Stream // client to server, server to client
	seen     time.Time
	finUp    bool
	finDown  bool
	http     httpreq.Parser
	mysql    mysqlproto.Conn
	t        *tracker
}

// tracker maps segments to connections and feeds their reassembled bytes to the
// recipe's parser.
type tracker struct {
	port    uint16
	oneWay  bool // only the client's direction is captured
	conns   map[connKey]*conn
	packets int
	onUp    func(c *conn, b []byte) // client bytes, in order
	onDown  func(c *conn, b []byte) // server bytes, in order
	gapUp   func(c *conn)
	gapDown func(c *conn)
	onSYN   func(c *conn)
}

// upSink and downSink deliver one direction's bytes to the tracker's callbacks.
type upSink conn
type downSink conn

func (s *upSink) Data(b []byte)   { c := (*conn)(s); c.t.onUp(c, b) }
func (s *upSink) Gap()            { c := (*conn)(s); c.t.gapUp(c) }
func (s *downSink) Data(b []byte) { c := (*conn)(s); c.t.onDown(c, b) }
func (s *downSink) Gap()          { c := (*conn)(s); c.t.gapDown(c) }

// segment feeds one TCP segment.
func (t *tracker) segment(ts time.Time, s *packet.Segment) {
	t.packets++
	if t.packets%sweepGap == 0 {
		t.sweep(ts)
	}
	fromClient := s.Dst.Port() == t.port
	key := connKey{client: s.Src, server: s.Dst}
	if !fromClient {
		key = connKey{client: s.Dst, server: s.Src}
	}
	c := t.conns[key]
	syn := s.Flags&packet.FlagSYN != 0
	if c == nil || (fromClient && s.SYN()) {
		if len(t.conns) >= maxConns {
			t.sweep(ts)
			if len(t.conns) >= maxConns {
				return
			}
		}
		c = &conn{key: key, t: t}
		t.conns[key] = c
		if fromClient && s.SYN() && t.onSYN != nil {
			t.onSYN(c)
		}
	}
	c.seen = ts
	if fromClient {
		c.up.Add(s.Seq, syn, s.Payload, (*upSink)(c))
		c.finUp = c.finUp || s.Flags&packet.FlagFIN != 0
	} else {
		c.down.Add(s.Seq, syn, s.Payload, (*downSink)(c))
		c.finDown = c.finDown || s.Flags&packet.FlagFIN != 0
	}
	if s.Flags&packet.FlagRST != 0 || (c.finUp && (c.finDown || t.oneWay) && c.up.Held() == 0 && c.down.Held() == 0) {
		delete(t.conns, key)
	}
}

func (t *tracker) sweep(now time.Time) {
	for k, c := range t.conns {
		if now.Sub(c.seen) > idleAge {
			delete(t.conns, k)
		}
	}
}
