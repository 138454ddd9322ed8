package cli

import (
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/internal/getopt"
)

// ActionKind says why Parse stopped instead of returning a Config.
type ActionKind int

// The terminal outcomes of parsing a netstat command line.
const (
	// ActionHelp is -h/--help: usage on stdout, the family list on stderr, exit 0.
	ActionHelp ActionKind = iota + 1
	// ActionVersion is -V/--version: the version text on stdout, exit 0.
	ActionVersion
	// ActionUsageError is a getopt error, an explicit -?, or more than one of
	// -r -i -s -M: the diagnostic (if any) and the usage on stderr, exit 3.
	ActionUsageError
	// ActionUnknownFamily is an unknown -A/--protocol element: exit 1.
	ActionUnknownFamily
	// ActionNoSELinux is -Z/--context on a system without SELinux: exit 1.
	ActionNoSELinux
)

// String returns a short description of k.
func (k ActionKind) String() string {
	switch k {
	case ActionHelp:
		return "help"
	case ActionVersion:
		return "version"
	case ActionUsageError:
		return "usage error"
	case ActionUnknownFamily:
		return "unknown family"
	case ActionNoSELinux:
		return "no SELinux"
	}
	return "ActionKind(" + strconv.Itoa(int(k)) + ")"
}

// Action is a command line's complete effect when netstat stops during option
// processing: what to write to each stream and the exit status. Stderr includes, in
// order, any diagnostics printed earlier during parsing (see Parse).
type Action struct {
	Kind   ActionKind
	Stdout string
	Stderr string
	Exit   int
}

// Exit statuses used by net-tools netstat's option processing.
const (
	exitUsage  = 3 // E_OPTERR
	exitFamily = 1
)

// Parse interprets a netstat command line exactly as net-tools 2.10 does (glibc
// getopt_long over netstat's option tables, then the checks and derivations that
// follow the option loop). argv[0] is the program name as invoked; it prefixes getopt
// diagnostics verbatim. posixlyCorrect reports whether POSIXLY_CORRECT is set in the
// environment.
//
// Exactly one of cfg and act is non-nil. With cfg, the modes should run; warnings is
// text net-tools writes to stderr while parsing and then carries on ("Too much
// address family arguments.", the --tcpip internal error), to be written to stderr
// before anything else. With act, nothing is to run: write act.Stdout and act.Stderr
// and exit with act.Exit (warnings is then empty; it is part of act.Stderr).
func Parse(argv []string, posixlyCorrect bool) (cfg *Config, warnings string, act *Action) {
	c := &Config{Extend: 1}
	if len(argv) > 0 {
		c.Prog, _, _ = strings.Cut(argv[0], "\x00") // a C string ends at NUL
	}
	var stderr strings.Builder
	stop := func(kind ActionKind, stdout, errText string, exit int) (*Config, string, *Action) {
		stderr.WriteString(errText)
		return nil, "", &Action{Kind: kind, Stdout: stdout, Stderr: stderr.String(), Exit: exit}
	}
	usage := func(diag string) (*Config, string, *Action) {
		return stop(ActionUsageError, "", diag+usageText+afListText, exitUsage)
	}
	families := newFamilyList(c)

	longopts := getopt.NetstatLongOptions()
	p := getopt.New(argv, getopt.NetstatShortOptions, longopts, posixlyCorrect)
	for r := range p.All() {
		switch r.Opt {
		case getopt.NetstatFamilyVal:
			if r.LongIndex < 0 || r.LongIndex >= getopt.NetstatFamilyOptions {
				stderr.WriteString("netstat.c: Internal Error `longopts 1 range'.\n")
				break
			}
			if bad, ok := families.add(longopts[r.LongIndex].Name, &stderr); !ok {
				return stop(ActionUnknownFamily, "", unknownFamily(bad), exitFamily)
			}
		case 'A':
			if bad, ok := families.add(r.Arg, &stderr); !ok {
				return stop(ActionUnknownFamily, "", unknownFamily(bad), exitFamily)
			}
		case '4', '6', 'x':
			if bad, ok := families.add(shortFamily(r.Opt), &stderr); !ok {
				return stop(ActionUnknownFamily, "", unknownFamily(bad), exitFamily)
			}
		case 'M':
			c.Masquerade++
		case 'a':
			c.All++
		case 'l':
			c.Listening++
		case 'c':
			c.Continuous++
		case 'd':
			// flag_deb: accepted, never used.
		case 'g':
			c.Groups++
		case 'e':
			c.Extend++
		case 'p':
			c.Programs++
		case 'i':
			c.Interfaces++
		case 'W':
			c.Wide++
		case 'n':
			c.NumericHosts, c.NumericPorts, c.NumericUsers = true, true, true
		case getopt.NetstatNumericHost:
			c.NumericHosts = true
		case getopt.NetstatNumericPort:
			c.NumericPorts = true
		case getopt.NetstatNumericUser:
			c.NumericUsers = true
		case 'N':
			c.Symbolic = true
		case 'C':
			c.Cache = true
		case 'F':
			c.FIB = true
		case 'o':
			c.Timers++
		case 'V':
			return stop(ActionVersion, versionText, "", 0)
		case 'v':
			c.Verbose = 1 // flag_ver |= FLAG_VERBOSE
		case 'r':
			c.Route++
		case 't':
			c.TCP++
		case 'S':
			c.SCTP++
		case 'u':
			c.UDP++
		case 'U':
			c.UDPLite++
		case 'w':
			c.Raw++
		case '2':
			c.L2CAP++
		case 'f':
			c.RFCOMM++
		case 'Z':
			// net-tools is built with SELinux support; is_selinux_enabled() is false here.
			return stop(ActionNoSELinux, "", "SELinux is not enabled on this machine.\n", 1)
		case '?':
			return usage(r.Message)
		case 'h':
			return stop(ActionHelp, usageText, afListText, 0)
		case 's':
			c.Statistics++
		}
	}

	if c.Interfaces+c.Route+c.Masquerade+c.Statistics > 1 {
		return usage("")
	}
	derive(c)
	return c, stderr.String(), nil
}

// derive applies the steps net-tools takes between option parsing and dispatch.
func derive(c *Config) {
	anyProto := func() bool { return c.TCP != 0 || c.SCTP != 0 || c.UDP != 0 || c.UDPLite != 0 || c.Raw != 0 }
	if (c.Inet != 0 || c.Inet6 != 0 || c.Statistics != 0) && !anyProto() {
		c.NoProt = true
		c.TCP, c.SCTP, c.UDP, c.UDPLite, c.Raw = 1, 1, 1, 1, 1
	}
	if (anyProto() || c.Groups != 0) && c.Inet == 0 && c.Inet6 == 0 {
		c.Inet, c.Inet6 = 1, 1
	}
	if c.Bluetooth != 0 && c.L2CAP == 0 && c.RFCOMM == 0 {
		c.L2CAP, c.RFCOMM = 1, 1
	}
	c.Arg = c.TCP + c.SCTP + c.UDPLite + c.UDP + c.Raw + c.Unix +
		c.IPX + c.AX25 + c.NetROM + c.Groups + c.X25 + c.Rose +
		c.L2CAP + c.RFCOMM
}

// shortFamily is the family keyword that -4, -6 or -x stands for.
func shortFamily(opt int) string {
	switch opt {
	case '4':
		return "inet"
	case '6':
		return "inet6"
	}
	return "unix"
}

func unknownFamily(name string) string {
	return "Unknown address family `" + name + "'.\n"
}

// familyList is lib/af.c's afname buffer and aftrans_opt.
type familyList struct {
	cfg *Config
	len int // strlen(afname)
}

func newFamilyList(c *Config) *familyList { return &familyList{cfg: c} }

// afnameSize is sizeof(afname) and sizeof the copy aftrans_opt splits.
const afnameSize = 256

// add is aftrans_opt: it applies each comma-separated element of arg (cut to 255
// bytes first) in order. It writes "Too much address family arguments." to stderr and
// skips the rest of arg when the family list is full. It returns the offending
// element and false for an unknown element.
func (f *familyList) add(arg string, stderr *strings.Builder) (string, bool) {
	if len(arg) > afnameSize-1 {
		arg = arg[:afnameSize-1]
	}
	for {
		elem, rest, more := strings.Cut(arg, ",")
		name, flag := f.lookup(elem)
		if flag == nil {
			return elem, false
		}
		if len(name)+f.len+1 >= afnameSize {
			stderr.WriteString("Too much address family arguments.\n")
			return "", true
		}
		*flag++
		if f.len > 0 {
			f.len++ // the comma
		}
		f.len += len(name)
		f.cfg.Families = append(f.cfg.Families, name)
		if !more {
			return "", true
		}
		arg = rest
	}
}

// lookup finds alias in lib/af.c's aftrans table and returns the canonical family
// name and the counter it increments, or a nil counter if alias is unknown.
func (f *familyList) lookup(alias string) (string, *int) {
	c := f.cfg
	switch alias {
	case "ax25":
		return "ax25", &c.AX25
	case "ip", "inet", "tcpip":
		return "inet", &c.Inet
	case "ip6", "inet6":
		return "inet6", &c.Inet6
	case "ipx":
		return "ipx", &c.IPX
	case "rose":
		return "rose", &c.Rose
	case "appletalk", "ddp":
		return "ddp", &c.DDP
	case "netrom":
		return "netrom", &c.NetROM
	case "unix":
		return "unix", &c.Unix
	case "econet":
		return "ec", &c.Econet
	case "x25":
		return "x25", &c.X25
	case "ash":
		return "ash", &c.Ash
	case "bluetooth":
		return "bluetooth", &c.Bluetooth
	}
	return "", nil
}
