package analysis

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// The filter language is ss's (man ss, FILTER; iproute2 misc/ssfilter.y), with these
// additions: "state"/"exclude" clauses may appear anywhere an expression may (ss
// accepts them only in front), operators and parentheses need no surrounding blanks
// ("sport>=:1024"), src/dst accept "!=" and unbracketed IPv6 addresses without a port.
//
//	expr     := clause { [ "and" | "&&" | "&" | "or" | "||" | "|" ] clause }
//	clause   := "(" expr ")" | ( "not" | "!" ) clause | states | hostcond | portcond
//	states   := ( "state" | "exclude" | "excl" ) NAME { ( "state" | "exclude" | "excl" ) NAME }
//	hostcond := ( "src" | "dst" ) [ "=" | "==" | "eq" | "!=" | "ne" | "neq" ] HOST
//	portcond := ( "sport" | "dport" ) [ OP ] PORT
//	OP       := "=" | "==" | "eq" | "!=" | "ne" | "neq" | "<" | "lt" | ">" | "gt" |
//	            "<=" | "le" | "leq" | ">=" | "ge" | "geq"
//	HOST     := "*" | ADDR | ADDR/LEN | [ADDR] ":" PORT | "[" IPV6[/LEN] "]" [ ":" PORT ] | "*:" PORT |
//	            NAME [ ":" PORT ]
//	PORT     := [ ":" ] ( NUMBER | SERVICE | "*" )
//
// A host NAME stands for every address ParseOptions.Host returns for it, as in ss:
// "dst localhost" is "(dst 127.0.0.1 or dst ::1)" with the usual /etc/hosts.
//
// As in ss, "and" and "or" have the same precedence and group from the left, so
// "a or b and c" is "(a or b) and c"; two clauses side by side are joined by "and".
// A run of state/exclude clauses side by side makes one set, as ss's leading state
// filter does: "state established state syn-recv" is either state, "exclude
// listening" is every state but LISTEN.

// ParseOptions supply what parsing needs from outside.
type ParseOptions struct {
	// Service returns the port of a service name (such as "http"), as getservbyname
	// would. Nil: ports must be numbers.
	Service func(name string) (uint16, bool)
	// Host returns the addresses of a host name (such as "localhost"), as getaddrinfo
	// would. Nil: hosts must be addresses.
	Host func(name string) ([]netip.Addr, bool)
}

// SyntaxError reports an expression that does not parse.
type SyntaxError struct {
	// Offset is the byte offset of the offending token in the expression; at the end
	// of the expression it is the expression's length.
	Offset int
	// Token is the offending token ("" at the end of the expression).
	Token string
	// Problem is what is wrong with it: "unexpected", "unknown state", "bad port",
	// "bad address", ...
	Problem string
}

func (e *SyntaxError) Error() string {
	if e.Token == "" {
		return fmt.Sprintf("%s end of expression at offset %d", e.Problem, e.Offset)
	}
	return fmt.Sprintf("%s '%s' at offset %d", e.Problem, e.Token, e.Offset)
}

// ParseFilter parses a filter expression. An empty (or blank) expression yields a nil
// Expr, which selects every socket. Errors are *SyntaxError values.
func ParseFilter(src string, o ParseOptions) (Expr, error) {
	p := &parser{lex: lexer{src: src}, opts: o}
	p.next()
	if p.tok.kind == tEOF {
		return nil, nil
	}
	x, err := p.list()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.unexpected()
	}
	return x, nil
}

type tokKind uint8

const (
	tEOF tokKind = iota
	tWord
	tLParen
	tRParen
	tAnd
	tOr
	tNot
	tEq
	tNe
	tLt
	tGt
	tLe
	tGe
)

type token struct {
	kind tokKind
	text string
	off  int
}

// operators maps operator spellings, symbolic and word, to their tokens.
var operators = map[string]tokKind{
	"(": tLParen, ")": tRParen,
	"&": tAnd, "&&": tAnd, "and": tAnd,
	"|": tOr, "||": tOr, "or": tOr,
	"!": tNot, "not": tNot,
	"=": tEq, "==": tEq, "eq": tEq,
	"!=": tNe, "ne": tNe, "neq": tNe,
	"<": tLt, "lt": tLt,
	">": tGt, "gt": tGt,
	"<=": tLe, "le": tLe, "leq": tLe,
	">=": tGe, "ge": tGe, "geq": tGe,
}

// lexer splits an expression into words, operators and parentheses. Words are runs of
// bytes other than blanks, parentheses and the operator characters =<>!&|.
type lexer struct {
	src string
	pos int
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isOpChar(c byte) bool { return strings.IndexByte("=<>!&|", c) >= 0 }

func (l *lexer) next() token {
	for l.pos < len(l.src) && isBlank(l.src[l.pos]) {
		l.pos++
	}
	start := l.pos
	if start == len(l.src) {
		return token{kind: tEOF, off: start}
	}
	c := l.src[start]
	switch {
	case c == '(' || c == ')':
		l.pos++
	case isOpChar(c):
		l.pos++
		// Two-character operators: ==, !=, <=, >=, &&, ||.
		if l.pos < len(l.src) {
			if _, ok := operators[l.src[start:l.pos+1]]; ok {
				l.pos++
			}
		}
	default:
		for l.pos < len(l.src) {
			c := l.src[l.pos]
			if isBlank(c) || c == '(' || c == ')' || isOpChar(c) {
				break
			}
			l.pos++
		}
	}
	text := l.src[start:l.pos]
	kind, ok := operators[text]
	if !ok {
		kind = tWord
	}
	return token{kind: kind, text: text, off: start}
}

type parser struct {
	lex  lexer
	tok  token
	opts ParseOptions
}

func (p *parser) next() { p.tok = p.lex.next() }

func (p *parser) errorf(t token, problem string) error {
	return &SyntaxError{Offset: t.off, Token: t.text, Problem: problem}
}

func (p *parser) unexpected() error { return p.errorf(p.tok, "unexpected") }

// list parses clauses joined by and/or (or nothing), left to right, until ')' or the
// end.
func (p *parser) list() (Expr, error) {
	x, err := p.clause()
	if err != nil {
		return nil, err
	}
	for {
		switch p.tok.kind {
		case tEOF, tRParen:
			return x, nil
		case tAnd, tOr:
			or := p.tok.kind == tOr
			p.next()
			y, err := p.clause()
			if err != nil {
				return nil, err
			}
			if or {
				x = &Or{x, y}
			} else {
				x = &And{x, y}
			}
		default:
			y, err := p.clause()
			if err != nil {
				return nil, err
			}
			x = &And{x, y}
		}
	}
}

func (p *parser) clause() (Expr, error) {
	t := p.tok
	switch t.kind {
	case tLParen:
		p.next()
		x, err := p.list()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRParen {
			return nil, p.unexpected()
		}
		p.next()
		return x, nil
	case tNot:
		p.next()
		x, err := p.clause()
		if err != nil {
			return nil, err
		}
		return &Not{x}, nil
	case tWord:
		switch t.text {
		case "state", "exclude", "excl":
			return p.states()
		case "src", "dst":
			return p.host()
		case "sport", "dport":
			return p.port()
		case "autobound", "dev", "fwmark", "cgroup":
			return nil, p.errorf(t, "unsupported condition")
		}
	}
	return nil, p.unexpected()
}

// states parses a run of state/exclude clauses into one set, as ss builds its state
// filter: the first clause starts from nothing (state) or from all states (exclude).
func (p *parser) states() (Expr, error) {
	var set StateSet
	first := true
	for p.tok.kind == tWord && (p.tok.text == "state" || p.tok.text == "exclude" || p.tok.text == "excl") {
		exclude := p.tok.text != "state"
		p.next()
		if p.tok.kind != tWord {
			return nil, p.unexpected()
		}
		s, ok := ParseState(p.tok.text)
		if !ok {
			return nil, p.errorf(p.tok, "unknown state")
		}
		if first && exclude {
			set = AllStates
		}
		first = false
		if exclude {
			set &^= s
		} else {
			set |= s
		}
		p.next()
	}
	return &States{Set: set}, nil
}

// host parses "src HOST" or "dst HOST" with an optional = or !=.
func (p *parser) host() (Expr, error) {
	side := Local
	if p.tok.text == "dst" {
		side = Remote
	}
	p.next()
	negate := false
	switch p.tok.kind {
	case tEq:
		p.next()
	case tNe:
		negate = true
		p.next()
	}
	if p.tok.kind != tWord {
		return nil, p.unexpected()
	}
	hosts, problem := p.hostValue(p.tok.text)
	if problem != "" {
		return nil, p.errorf(p.tok, problem)
	}
	var x Expr
	for _, h := range hosts {
		h.Side = side
		if x == nil {
			x = h
		} else {
			x = &Or{x, h}
		}
	}
	p.next()
	if negate {
		return &Not{x}, nil
	}
	return x, nil
}

// hostValue parses the HOST of a src/dst condition into one condition per address (a
// host name may have several); a non-empty problem says why it failed.
func (p *parser) hostValue(s string) (hosts []*Host, problem string) {
	h := &Host{Port: -1}
	var addr, port string
	hasPort := false
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return nil, "bad address"
		}
		addr = s[1:end]
		if rest := s[end+1:]; rest != "" {
			if rest[0] != ':' {
				return nil, "bad address"
			}
			port, hasPort = rest[1:], true
		}
		if addr == "" {
			return nil, "bad address"
		}
	case strings.HasPrefix(s, "*"):
		if rest := s[1:]; rest != "" {
			if rest[0] != ':' {
				return nil, "bad address"
			}
			port, hasPort = rest[1:], true
		}
	default:
		// Unless the whole is an address (IPv6 has colons), the port follows the last
		// ':' after the prefix length, if any; a host name may have none.
		addr = s
		if _, ok := parsePrefix(s); !ok {
			if i := strings.LastIndexByte(s, ':'); i >= 0 && i > strings.IndexByte(s, '/') {
				addr, port, hasPort = s[:i], s[i+1:], true
			}
		}
	}
	name := ""
	if addr != "" {
		if pfx, ok := parsePrefix(addr); ok {
			h.Prefix = pfx
		} else if isHostName(addr) && p.opts.Host != nil && s[0] != '[' {
			name = addr
		} else {
			return nil, "bad address"
		}
	}
	if hasPort && port != "" && port != "*" {
		n, ok := p.portNumber(port)
		if !ok {
			return nil, "bad port"
		}
		h.Port = int32(n)
	}
	if name == "" {
		return []*Host{h}, ""
	}
	addrs, ok := p.opts.Host(name)
	if !ok || len(addrs) == 0 {
		return nil, "unknown host"
	}
	for _, a := range addrs {
		if a.Zone() != "" { // the kernel filter has no zones
			continue
		}
		a = a.Unmap()
		hosts = append(hosts, &Host{Prefix: netip.PrefixFrom(a, a.BitLen()), Port: h.Port})
	}
	if len(hosts) == 0 {
		return nil, "unknown host"
	}
	return hosts, ""
}

// isHostName reports whether s can be a host name: letters, digits, '-', '_' and '.',
// with at least one letter (so that a malformed address is not taken for a name).
func isHostName(s string) bool {
	letter := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letter = true
		case c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return letter
}

// parsePrefix parses an address (a full-length prefix) or an address/length prefix.
// Zoned IPv6 addresses are refused: the kernel filter has no zones.
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		pfx, err := netip.ParsePrefix(s)
		return pfx, err == nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// portNumber parses a decimal port or, through ParseOptions.Service, a service name.
func (p *parser) portNumber(s string) (uint16, bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		n, err := strconv.ParseUint(s, 10, 16)
		return uint16(n), err == nil
	}
	if p.opts.Service != nil {
		return p.opts.Service(s)
	}
	return 0, false
}

// port parses "sport OP PORT" or "dport OP PORT"; "<", ">" and "!=" become the
// negations of ">=", "<=" and "=", as in ss.
func (p *parser) port() (Expr, error) {
	side := Local
	if p.tok.text == "dport" {
		side = Remote
	}
	p.next()
	op := tEq
	switch p.tok.kind {
	case tEq, tNe, tLt, tGt, tLe, tGe:
		op = p.tok.kind
		p.next()
	}
	if p.tok.kind != tWord {
		return nil, p.unexpected()
	}
	v := strings.TrimPrefix(p.tok.text, ":")
	if v == "*" && (op == tEq || op == tNe) {
		p.next()
		var any Expr = &Host{Side: side, Port: -1}
		if op == tNe {
			any = &Not{any}
		}
		return any, nil
	}
	n, ok := p.portNumber(v)
	if !ok {
		return nil, p.errorf(p.tok, "bad port")
	}
	p.next()
	switch op {
	case tNe:
		return &Not{&PortCmp{side, EQ, n}}, nil
	case tLe:
		return &PortCmp{side, LE, n}, nil
	case tGe:
		return &PortCmp{side, GE, n}, nil
	case tLt:
		return &Not{&PortCmp{side, GE, n}}, nil
	case tGt:
		return &Not{&PortCmp{side, LE, n}}, nil
	}
	return &PortCmp{side, EQ, n}, nil
}
