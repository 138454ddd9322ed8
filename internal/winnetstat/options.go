// Package winnetstat is netstat-go's Windows command line: Windows netstat's own
// options (the option set of Windows 11's `netstat /?`), parsed with Windows' rules,
// and renderers that print what Windows netstat prints, CRLF line ends included. It
// reads nothing itself: a Host (internal/winsource on Windows, fakes in tests) gives
// it values, so everything here runs and is tested on any OS.
package winnetstat

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Options is a parsed Windows netstat command line.
type Options struct {
	All       bool // -a
	Exe       bool // -b
	Ethernet  bool // -e
	FQDN      bool // -f
	InState   bool // -i (time in the current state: not supported)
	Numeric   bool // -n
	PID       bool // -o
	Bound     bool // -q (bound non-listening ports: not supported)
	Route     bool // -r
	Stats     bool // -s
	Offload   bool // -t (offload state: not supported)
	Direct    bool // -x (NetworkDirect: not supported)
	Template  bool // -y (TCP templates: not supported)
	Help      bool // -? or /?
	Proto     Proto
	HasProto  bool
	Interval  int  // seconds; 0 means print once
	Verbose   bool // -v: accepted and ignored, as Windows does
	Extension Extension
}

// Extension holds netstat-go's own options, which Windows netstat does not have.
type Extension struct {
	Filter string   // --filter EXPR
	Count  []string // --count KEY[,KEY...]
	JSON   bool     // --json
}

// Proto is the argument of -p.
type Proto uint8

// The protocols -p takes. TCP, UDP, TCPv6 and UDPv6 select connections; with -s all
// of them select statistics.
const (
	ProtoTCP Proto = iota + 1
	ProtoUDP
	ProtoTCPv6
	ProtoUDPv6
	ProtoIP
	ProtoIPv6
	ProtoICMP
	ProtoICMPv6
)

var protoNames = [...]string{
	ProtoTCP: "TCP", ProtoUDP: "UDP", ProtoTCPv6: "TCPv6", ProtoUDPv6: "UDPv6",
	ProtoIP: "IP", ProtoIPv6: "IPv6", ProtoICMP: "ICMP", ProtoICMPv6: "ICMPv6",
}

// String returns the protocol's name as Windows netstat's help spells it.
func (p Proto) String() string {
	if int(p) < len(protoNames) && protoNames[p] != "" {
		return protoNames[p]
	}
	return "unknown"
}

// ParseProto reads a -p argument; case does not matter.
func ParseProto(s string) (Proto, bool) {
	for p := ProtoTCP; p <= ProtoICMPv6; p++ {
		if strings.EqualFold(s, protoNames[p]) {
			return p, true
		}
	}
	return 0, false
}

// UsageError is a command line Windows netstat rejects: it prints its usage text and
// fails.
type UsageError struct {
	Reason string
}

func (e *UsageError) Error() string { return e.Reason }

// ErrUsage is wrapped by every UsageError check; use errors.As for the reason.
var ErrUsage = errors.New("usage")

// Is makes errors.Is(err, ErrUsage) true for a UsageError.
func (e *UsageError) Is(target error) bool { return target == ErrUsage }

func usagef(format string, a ...any) error {
	return &UsageError{Reason: fmt.Sprintf(format, a...)}
}

// Parse reads a Windows netstat command line (without the program name). Windows'
// rules: an option starts with '-' or '/', and several may share one dash ("-ano");
// letters are case-insensitive; -p takes the next argument, a protocol in any case
// (in a bundle too: "-anp tcp"); a bare number is the redisplay interval in seconds;
// -y cannot be combined with other options; anything else is a usage error. Our
// extensions are long options: --filter EXPR, --count KEYS, --json.
func Parse(args []string) (Options, error) {
	var o Options
	needProto := false
	letters := 0
	for i := 0; i < len(args); i++ {
		a := args[i]
		if needProto {
			p, ok := ParseProto(a)
			if !ok {
				return o, usagef("unknown protocol %q", a)
			}
			o.Proto, o.HasProto, needProto = p, true, false
			continue
		}
		switch {
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			takeVal := func() (string, error) {
				if hasVal {
					return val, nil
				}
				if i+1 >= len(args) {
					return "", usagef("--%s needs an argument", name)
				}
				i++
				return args[i], nil
			}
			switch name {
			case "filter":
				v, err := takeVal()
				if err != nil {
					return o, err
				}
				o.Extension.Filter = v
			case "count":
				v, err := takeVal()
				if err != nil {
					return o, err
				}
				o.Extension.Count = append(o.Extension.Count, strings.Split(v, ",")...)
			case "json":
				if hasVal {
					return o, usagef("--json takes no argument")
				}
				o.Extension.JSON = true
			case "help":
				o.Help = true
			default:
				return o, usagef("unknown option %q", a)
			}
		case len(a) > 1 && (a[0] == '-' || a[0] == '/'):
			for _, c := range strings.ToLower(a[1:]) {
				letters++
				switch c {
				case 'a':
					o.All = true
				case 'b':
					o.Exe = true
				case 'e':
					o.Ethernet = true
				case 'f':
					o.FQDN = true
				case 'i':
					o.InState = true
				case 'n':
					o.Numeric = true
				case 'o':
					o.PID = true
				case 'p':
					needProto = true
				case 'q':
					o.Bound = true
				case 'r':
					o.Route = true
				case 's':
					o.Stats = true
				case 't':
					o.Offload = true
				case 'v':
					o.Verbose = true
				case 'x':
					o.Direct = true
				case 'y':
					o.Template = true
				case '?', 'h':
					o.Help = true
				default:
					return o, usagef("unknown option %q", a)
				}
			}
		case isDigits(a):
			n, err := strconv.Atoi(a)
			if err != nil || n == 0 {
				return o, usagef("bad interval %q", a)
			}
			if o.Interval != 0 {
				return o, usagef("interval given twice")
			}
			o.Interval = n
		default:
			return o, usagef("unknown argument %q", a)
		}
	}
	if needProto {
		return o, usagef("-p needs a protocol")
	}
	if o.Template && (letters > 1 || o.HasProto || o.Interval != 0) {
		return o, usagef("-y cannot be combined with other options")
	}
	if o.HasProto && !o.Stats && o.Proto > ProtoUDPv6 {
		return o, usagef("protocol %s is for -s only", o.Proto)
	}
	return o, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Unsupported returns the options of o that netstat-go cannot serve on Windows
// because no public API gives their data, in the order of the help text.
func (o *Options) Unsupported() []string {
	var u []string
	if o.InState {
		u = append(u, "-i")
	}
	if o.Bound {
		u = append(u, "-q")
	}
	if o.Offload {
		u = append(u, "-t")
	}
	if o.Direct {
		u = append(u, "-x")
	}
	if o.Template {
		u = append(u, "-y")
	}
	return u
}
