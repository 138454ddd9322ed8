// Package mysqlproto follows the MySQL/MariaDB client protocol of one connection from
// its two reassembled TCP streams: the handshake (user, database, TLS and compression
// requests), COM_QUERY, COM_INIT_DB, COM_STMT_PREPARE and the server's answer to it,
// and COM_STMT_EXECUTE with its parameter values. It is pure and bounded: bytes in,
// events out; input it cannot read is skipped, never a panic.
package mysqlproto

import (
	"bytes"
	"encoding/binary"
)

// MaxPacket caps one protocol packet (after joining 16 MiB pieces) that the parser
// holds; a longer statement is reported as skipped.
const MaxPacket = 64 << 20

// maxStmts caps the prepared statements remembered per connection.
const maxStmts = 4096

// Commands and capability flags.
const (
	comQuit        = 0x01
	comInitDB      = 0x02
	comQuery       = 0x03
	comChangeUser  = 0x11
	comStmtPrepare = 0x16
	comStmtExecute = 0x17
	comStmtClose   = 0x19

	capConnectWithDB = 0x00000008
	capCompress      = 0x00000020
	capSSL           = 0x00000800
	capSecureConn    = 0x00008000
	capPluginAuthLen = 0x00200000
)

// Kind says what an Event reports.
type Kind string

// Event kinds.
const (
	KindQuery      Kind = "query"
	KindInitDB     Kind = "init_db"
	KindPrepare    Kind = "prepare"
	KindExecute    Kind = "execute"
	KindTLS        Kind = "tls"
	KindCompressed Kind = "compressed"
	KindSkipped    Kind = "skipped"
)

// Event is one statement, or one fact about the connection.
type Event struct {
	Kind Kind
	// User and DB come from the handshake (and COM_INIT_DB); empty when not seen.
	User, DB string
	// Statement is the SQL text (the prepared text for KindExecute) or the database
	// of KindInitDB.
	Statement string
	// StmtID is the statement id of KindPrepare (when its answer was seen) and
	// KindExecute.
	StmtID uint32
	// Known reports, for KindExecute, whether the prepare was captured; without it
	// neither Statement nor Params can be known.
	Known bool
	// Params are the parameter values of KindExecute, as SQL literals.
	Params []string
	// Size is the packet size of KindSkipped.
	Size int
}

type stmt struct {
	sql    string
	params int
	types  []byte // two bytes per parameter, from the last execute that sent them
}

// Conn is the protocol state of one connection. The zero value is a connection
// whose start was not captured; call Start when the client's SYN was seen.
type Conn struct {
	client, server framer
	user, db       string
	greeted        bool // the server's greeting was seen; next client packet is the handshake response
	opaque         bool // TLS or compression: nothing more to read
	awaiting       byte // command whose answer the server sends next
	prepares       []string
	stmts          map[uint32]*stmt
	lastStmt       uint32
}

// Start marks the connection as captured from its first byte.
func (c *Conn) Start() {
	c.client.synced, c.server.synced = true, true
}

// User returns the user name from the handshake, if seen.
func (c *Conn) User() string { return c.user }

// ClientGap and ServerGap report bytes missing from one direction.
func (c *Conn) ClientGap() { c.client.gap() }

// ServerGap reports bytes missing from the server's direction.
func (c *Conn) ServerGap() { c.server.gap() }

// ClientData feeds the client's next bytes.
func (c *Conn) ClientData(b []byte, emit func(Event)) {
	if c.opaque {
		return
	}
	if !c.client.synced && len(c.client.buf) == 0 && c.client.skip == 0 && looksTLS(b) {
		c.opaque = true
		emit(c.event(Event{Kind: KindTLS}))
		return
	}
	c.client.feed(b, true, func(seq byte, p []byte, size int) {
		if c.opaque {
			return
		}
		if p == nil {
			emit(c.event(Event{Kind: KindSkipped, Size: size}))
			return
		}
		c.clientPacket(seq, p, emit)
	})
}

// ServerData feeds the server's next bytes.
func (c *Conn) ServerData(b []byte, emit func(Event)) {
	if c.opaque {
		return
	}
	if !c.server.synced && c.awaiting != 0 && len(c.server.buf) == 0 && c.server.skip == 0 {
		// An answer starts a fresh segment after the command it answers.
		c.server.synced = true
	}
	c.server.feed(b, false, func(seq byte, p []byte, _ int) {
		if p != nil {
			c.serverPacket(seq, p)
		}
	})
}

func (c *Conn) event(e Event) Event {
	e.User, e.DB = c.user, c.db
	return e
}

func (c *Conn) serverPacket(seq byte, p []byte) {
	if seq == 0 && len(p) > 0 && p[0] == 10 && c.awaiting == 0 {
		c.greeted = true // protocol version 10 greeting
		return
	}
	if seq != 1 || c.awaiting == 0 {
		return
	}
	cmd := c.awaiting
	c.awaiting = 0
	if cmd != comStmtPrepare || len(c.prepares) == 0 {
		return
	}
	sql := c.prepares[0]
	c.prepares = c.prepares[1:]
	if len(p) < 12 || p[0] != 0 {
		return // an error: no statement
	}
	id := binary.LittleEndian.Uint32(p[1:])
	params := int(binary.LittleEndian.Uint16(p[7:]))
	if c.stmts == nil {
		c.stmts = map[uint32]*stmt{}
	}
	if len(c.stmts) >= maxStmts {
		clear(c.stmts)
	}
	c.stmts[id] = &stmt{sql: sql, params: params}
	c.lastStmt = id
}

func (c *Conn) clientPacket(seq byte, p []byte, emit func(Event)) {
	if c.greeted && seq == 1 {
		c.greeted = false
		c.handshake(p, emit)
		return
	}
	if seq != 0 || len(p) == 0 {
		return // authentication exchanges, LOCAL INFILE data
	}
	c.greeted = false
	cmd, body := p[0], p[1:]
	c.awaiting = cmd
	switch cmd {
	case comQuery:
		// MariaDB 10.6+ may prefix query attributes only when the client asks
		// (CLIENT_QUERY_ATTRIBUTES, MySQL 8); the plain form is the text itself.
		emit(c.event(Event{Kind: KindQuery, Statement: string(body)}))
	case comInitDB:
		c.db = string(body)
		emit(c.event(Event{Kind: KindInitDB, Statement: string(body)}))
	case comStmtPrepare:
		if len(c.prepares) < maxStmts {
			c.prepares = append(c.prepares, string(body))
		}
		emit(c.event(Event{Kind: KindPrepare, Statement: string(body)}))
	case comStmtExecute:
		emit(c.event(c.execute(body)))
	case comStmtClose:
		if len(body) >= 4 {
			delete(c.stmts, binary.LittleEndian.Uint32(body))
		}
	case comChangeUser:
		if u, _, ok := bytes.Cut(body, []byte{0}); ok {
			c.user = string(u)
		}
	case comQuit:
	}
}

// handshake reads the client's handshake response (or SSL request).
func (c *Conn) handshake(p []byte, emit func(Event)) {
	if len(p) < 32 {
		return
	}
	caps := binary.LittleEndian.Uint32(p)
	if caps&capSSL != 0 && len(p) == 32 {
		c.opaque = true
		emit(c.event(Event{Kind: KindTLS}))
		return
	}
	rest := p[32:]
	user, rest, ok := bytes.Cut(rest, []byte{0})
	if !ok {
		return
	}
	c.user = string(user)
	switch {
	case caps&capPluginAuthLen != 0:
		n, w := lenenc(rest)
		if w == 0 || uint64(len(rest)-w) < n {
			return
		}
		rest = rest[w+int(n):]
	case caps&capSecureConn != 0:
		if len(rest) < 1 || len(rest)-1 < int(rest[0]) {
			return
		}
		rest = rest[1+int(rest[0]):]
	default:
		_, r, ok := bytes.Cut(rest, []byte{0})
		if !ok {
			return
		}
		rest = r
	}
	if caps&capConnectWithDB != 0 {
		db, _, _ := bytes.Cut(rest, []byte{0})
		c.db = string(db)
	}
	if caps&capCompress != 0 {
		c.opaque = true
		emit(c.event(Event{Kind: KindCompressed}))
	}
}

// looksTLS reports bytes that begin a TLS record (handshake or application data).
func looksTLS(b []byte) bool {
	return len(b) >= 5 && (b[0] == 0x16 || b[0] == 0x17) && b[1] == 3 && b[2] <= 4
}

// lenenc reads a length-encoded integer; w is its width, 0 when b is too short.
func lenenc(b []byte) (n uint64, w int) {
	if len(b) == 0 {
		return 0, 0
	}
	switch b[0] {
	case 0xfc:
		if len(b) < 3 {
			return 0, 0
		}
		return uint64(binary.LittleEndian.Uint16(b[1:])), 3
	case 0xfd:
		if len(b) < 4 {
			return 0, 0
		}
		return uint64(b[1]) | uint64(b[2])<<8 | uint64(b[3])<<16, 4
	case 0xfe:
		if len(b) < 9 {
			return 0, 0
		}
		return binary.LittleEndian.Uint64(b[1:]), 9
	case 0xfb, 0xff:
		return 0, 0
	}
	return uint64(b[0]), 1
}
