package logfmt

import (
	"bytes"
	"fmt"
	"strings"
)

// field names what a plan element captures.
type field uint8

const (
	fSkip field = iota
	fHost
	fUser
	fTime
	fRequest
	fMethod
	fPath
	fProto
	fStatus
	fSquidStatus // Squid's "TCP_MISS/200": the status is after the slash
	fBytes
	fReferer
	fUA
	fRespTime
)

// elem is one step of a plan: a literal to match or a field to capture.
type elem struct {
	lit    []byte
	field  field
	isLit  bool
	quoted bool // the field is enclosed in double quotes (backslash escapes honoured)
}

// Plan is a compiled log format. It is immutable and safe for concurrent use.
type Plan struct {
	name  string
	elems []elem
	// tokens, when set, means the format is blank-separated tokens with runs of
	// blanks (Squid native); tokens[i] is what the i-th token holds.
	tokens []field
	// trailing allows blank-separated tokens after the plan (Squid combined's
	// %Ss:%Sh, or a response time); trailingTime makes the last one the response time.
	trailing     bool
	trailingTime bool
	unit         Unit
	hasTime      bool
	hasRespTime  bool
	// combined marks the built-in plans of the combined family, which parseCombined
	// reads (common: without referer and User-Agent); need is the fields wanted, last
	// the last field it reads.
	combined, common bool
	need, last       Fields
}

// Name returns the format's name (a built-in name or "custom").
func (p *Plan) Name() string { return p.name }

// HasRespTime reports whether the format carries a response time.
func (p *Plan) HasRespTime() bool { return p.hasRespTime }

// HasTime reports whether the format carries a timestamp.
func (p *Plan) HasTime() bool { return p.hasTime }

// Unit returns the unit of the response-time field.
func (p *Plan) Unit() Unit { return p.unit }

// WithUnit returns a copy of p whose response time is in unit u.
func (p *Plan) WithUnit(u Unit) *Plan {
	q := *p
	q.unit = u
	return &q
}

// Built-in format names accepted by Builtin.
const (
	Combined       = "combined"
	Common         = "common"
	CombinedTime   = "combined-time"
	SquidNative    = "squid"
	SquidCombined  = "squid-combined"
	apacheCombined = `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`
	apacheCommon   = `%h %l %u %t "%r" %>s %b`
)

// BuiltinNames returns the names of the built-in formats.
func BuiltinNames() []string {
	return []string{Combined, Common, CombinedTime, SquidNative, SquidCombined}
}

// Builtin returns the plan of a built-in format.
func Builtin(name string) (*Plan, error) {
	switch name {
	case Combined, Common, CombinedTime, SquidCombined:
		src := apacheCombined
		if name == Common {
			src = apacheCommon
		}
		p, err := Compile(src)
		if err != nil {
			return nil, err
		}
		p.name = name
		p.combined, p.common, p.need, p.last = true, name == Common, AllFields, AllFields.last()
		switch name {
		case CombinedTime:
			p.trailing, p.trailingTime, p.hasRespTime, p.unit = true, true, true, Seconds
		case SquidCombined:
			p.trailing = true
		}
		return p, nil
	case SquidNative:
		return &Plan{
			name:        name,
			tokens:      []field{fTime, fRespTime, fHost, fSquidStatus, fBytes, fMethod, fPath, fUser, fSkip, fSkip},
			unit:        Milliseconds,
			hasTime:     true,
			hasRespTime: true,
		}, nil
	}
	return nil, fmt.Errorf("unknown log format %q (want one of %s, or --log-format)", name, strings.Join(BuiltinNames(), ", "))
}

// Compile compiles an Apache LogFormat string (%h %l %u %t "%r" %>s %b ...) or an
// nginx log_format string ($remote_addr - $remote_user [$time_local] "$request" ...)
// into a plan. Directives it does not know capture nothing but still delimit fields.
func Compile(format string) (*Plan, error) {
	format = strings.NewReplacer(`\"`, `"`, `\t`, "\t", `\\`, `\`).Replace(format)
	var elems []elem
	var err error
	if strings.Contains(format, "%") {
		elems, err = compileApache(format)
	} else {
		elems, err = compileNginx(format)
	}
	if err != nil {
		return nil, err
	}
	p := &Plan{name: "custom", unit: Seconds}
	var prevField bool
	for i := range elems {
		e := &elems[i]
		if e.isLit {
			prevField = false
			continue
		}
		if prevField {
			return nil, fmt.Errorf("log format %q: two fields with nothing between them", format)
		}
		prevField = true
		if i > 0 && elems[i-1].isLit && bytes.HasSuffix(elems[i-1].lit, []byte{'"'}) &&
			i+1 < len(elems) && elems[i+1].isLit && elems[i+1].lit[0] == '"' {
			e.quoted = true
		}
		switch e.field {
		case fTime:
			p.hasTime = true
		case fRespTime:
			p.hasRespTime = true
		}
	}
	p.elems = elems
	for _, e := range elems {
		if e.field == fRespTime && e.lit != nil {
			p.unit = Unit(e.lit[0])
		}
	}
	for i := range elems {
		if !elems[i].isLit {
			elems[i].lit = nil
		}
	}
	if len(elems) == 0 {
		return nil, fmt.Errorf("log format %q has no fields", format)
	}
	return p, nil
}

func addLit(elems []elem, s string) []elem {
	if s == "" {
		return elems
	}
	if n := len(elems); n > 0 && elems[n-1].isLit {
		elems[n-1].lit = append(elems[n-1].lit, s...)
		return elems
	}
	return append(elems, elem{isLit: true, lit: []byte(s)})
}

// unitField is a response-time field whose unit rides in lit until Compile ends.
func unitField(u Unit) elem { return elem{field: fRespTime, lit: []byte{byte(u)}} }

func compileApache(f string) ([]elem, error) {
	var elems []elem
	for i := 0; i < len(f); {
		c := f[i]
		if c != '%' {
			j := strings.IndexByte(f[i:], '%')
			if j < 0 {
				j = len(f) - i
			}
			elems = addLit(elems, f[i:i+j])
			i += j
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			elems = addLit(elems, "%")
			i++
			continue
		}
		// Modifiers: status conditions (!200,304), < and >.
		for i < len(f) && strings.IndexByte("<>!,0123456789", f[i]) >= 0 {
			i++
		}
		var arg string
		if i < len(f) && f[i] == '{' {
			j := strings.IndexByte(f[i:], '}')
			if j < 0 {
				return nil, fmt.Errorf("log format: unterminated %%{ at byte %d", i)
			}
			arg, i = f[i+1:i+j], i+j+1
		}
		if i >= len(f) {
			return nil, fmt.Errorf("log format: %% at the end")
		}
		d := f[i]
		i++
		var e elem
		switch d {
		case 'h', 'a':
			e.field = fHost
		case 'u':
			e.field = fUser
		case 't':
			if arg == "" {
				elems = addLit(elems, "[")
				elems = append(elems, elem{field: fTime})
				elems = addLit(elems, "]")
				continue
			}
			e.field = fSkip
		case 'r':
			e.field = fRequest
		case 'm':
			e.field = fMethod
		case 'U':
			e.field = fPath
		case 'H':
			e.field = fProto
		case 's':
			e.field = fStatus
		case 'b', 'B', 'O':
			e.field = fBytes
		case 'i':
			switch strings.ToLower(arg) {
			case "referer":
				e.field = fReferer
			case "user-agent":
				e.field = fUA
			}
		case 'D':
			e = unitField(Microseconds)
		case 'T':
			switch arg {
			case "ms":
				e = unitField(Milliseconds)
			case "us":
				e = unitField(Microseconds)
			default:
				e = unitField(Seconds)
			}
		case 'l', 'v', 'V', 'p', 'P', 'q', 'f', 'e', 'n', 'o', 'C', 'k', 'L', 'R', 'X', 'I', 'S', 'A', 'M':
			e.field = fSkip
		default:
			return nil, fmt.Errorf("log format: unknown directive %%%c", d)
		}
		elems = append(elems, e)
	}
	return elems, nil
}

func isVarByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func compileNginx(f string) ([]elem, error) {
	var elems []elem
	for i := 0; i < len(f); {
		if f[i] != '$' {
			j := strings.IndexByte(f[i:], '$')
			if j < 0 {
				j = len(f) - i
			}
			elems = addLit(elems, f[i:i+j])
			i += j
			continue
		}
		i++
		var name string
		if i < len(f) && f[i] == '{' {
			j := strings.IndexByte(f[i:], '}')
			if j < 0 {
				return nil, fmt.Errorf("log format: unterminated ${ at byte %d", i)
			}
			name, i = f[i+1:i+j], i+j+1
		} else {
			j := i
			for j < len(f) && isVarByte(f[j]) {
				j++
			}
			name, i = f[i:j], j
		}
		if name == "" {
			return nil, fmt.Errorf("log format: $ without a variable name")
		}
		var e elem
		switch name {
		case "remote_addr", "binary_remote_addr", "realip_remote_addr":
			e.field = fHost
		case "remote_user":
			e.field = fUser
		case "time_local", "time_iso8601", "msec":
			e.field = fTime
		case "request":
			e.field = fRequest
		case "request_method":
			e.field = fMethod
		case "request_uri", "uri":
			e.field = fPath
		case "server_protocol":
			e.field = fProto
		case "status":
			e.field = fStatus
		case "body_bytes_sent", "bytes_sent":
			e.field = fBytes
		case "http_referer":
			e.field = fReferer
		case "http_user_agent":
			e.field = fUA
		case "request_time":
			e = unitField(Seconds)
		default:
			e.field = fSkip
		}
		elems = append(elems, e)
	}
	return elems, nil
}
