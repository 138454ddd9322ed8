package cli

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// parseCase is one command line and its expected outcome. Expected actions were
// captured from the real binary with
//
//	LC_ALL=C /usr/bin/netstat ARGS...; echo $?
//
// (POSIXLY_CORRECT=1 in the environment where posix is set; argv[0] set with
// `exec -a PROG`). Expected Configs follow netstat.c's option switch and the
// derivation after it; their warnings were captured the same way (stderr).
type parseCase struct {
	name  string
	argv  []string
	posix bool
	act   *Action // expected terminal action, or nil
	cfg   *Config // expected Config when act is nil
	warn  string  // expected warnings with cfg
}

// Captured diagnostics.
const (
	usageOnStderr = capturedUsage + capturedAFList
	tooMuch       = "Too much address family arguments.\n"
	internalError = "netstat.c: Internal Error `longopts 1 range'.\n"
)

func help() *Action {
	return &Action{Kind: ActionHelp, Stdout: capturedUsage, Stderr: capturedAFList}
}

func helpAfter(warn string) *Action {
	a := help()
	a.Stderr = warn + a.Stderr
	return a
}

func version() *Action {
	return &Action{Kind: ActionVersion, Stdout: capturedVersion}
}

func usageErr(diag string) *Action {
	return &Action{Kind: ActionUsageError, Stderr: diag + usageOnStderr, Exit: 3}
}

func unknownFam(stderr string) *Action {
	return &Action{Kind: ActionUnknownFamily, Stderr: stderr, Exit: 1}
}

func noSELinux() *Action {
	return &Action{Kind: ActionNoSELinux, Stderr: "SELinux is not enabled on this machine.\n", Exit: 1}
}

// conf returns the Config of a plain `netstat` with edits applied.
func conf(edit func(c *Config)) *Config {
	c := &Config{Prog: "netstat", Extend: 1}
	if edit != nil {
		edit(c)
	}
	return c
}

// impliedProtocols is §2.5 step 2.
func impliedProtocols(c *Config) {
	c.NoProt = true
	c.TCP, c.SCTP, c.UDP, c.UDPLite, c.Raw = 1, 1, 1, 1, 1
	c.Arg = 5
}

func numeric(c *Config) { c.NumericHosts, c.NumericPorts, c.NumericUsers = true, true, true }

func repeat(s string, n int) []string {
	r := make([]string, n)
	for i := range r {
		r[i] = s
	}
	return r
}

func argv(args ...string) []string { return append([]string{"netstat"}, args...) }

func parseCases() []parseCase {
	inet51 := repeat("inet", 51)
	return []parseCase{
		// §13 row 1.
		{name: "V", argv: argv("-V"), act: version()},
		{name: "version", argv: argv("--version"), act: version()},
		// Row 2.
		{name: "h", argv: argv("-h"), act: help()},
		{name: "help then t", argv: argv("--help", "-t"), act: help()},
		{name: "t then h", argv: argv("-t", "-h"), act: help()},
		// Row 3.
		{name: "question mark", argv: argv("-?"), act: usageErr("")},
		// Row 4.
		{name: "Q", argv: argv("-Q"), act: usageErr("netstat: invalid option -- 'Q'\n")},
		{name: "Q full path", argv: []string{"/usr/bin/netstat", "-Q"}, act: usageErr("/usr/bin/netstat: invalid option -- 'Q'\n")},
		{name: "Q then V", argv: argv("-Q", "-V"), act: usageErr("netstat: invalid option -- 'Q'\n")},
		{name: "Q empty prog", argv: []string{"", "-Q"}, act: usageErr(": invalid option -- 'Q'\n")},
		// Row 5.
		{name: "V then Q", argv: argv("-V", "-Q"), act: version()},
		{name: "hV", argv: argv("-hV"), act: help()},
		{name: "Vh", argv: argv("-Vh"), act: version()},
		// Row 6.
		{name: "foo", argv: argv("--foo"), act: usageErr("netstat: unrecognized option '--foo'\n")},
		{name: "foo=bar", argv: argv("--foo=bar"), act: usageErr("netstat: unrecognized option '--foo=bar'\n")},
		{name: "econet", argv: argv("--econet"), act: usageErr("netstat: unrecognized option '--econet'\n")},
		{name: "notrim", argv: argv("--notrim"), act: usageErr("netstat: unrecognized option '--notrim'\n")},
		// Row 7.
		{name: "A missing", argv: argv("-A"), act: usageErr("netstat: option requires an argument -- 'A'\n")},
		{name: "protocol missing", argv: argv("--protocol"), act: usageErr("netstat: option '--protocol' requires an argument\n")},
		{name: "prot missing", argv: argv("--prot"), act: usageErr("netstat: option '--protocol' requires an argument\n")},
		// Row 8.
		{name: "tcp=foo", argv: argv("--tcp=foo"), act: usageErr("netstat: option '--tcp' doesn't allow an argument\n")},
		{name: "statis=1", argv: argv("--statis=1"), act: usageErr("netstat: option '--statistics' doesn't allow an argument\n")},
		{name: "x25=3", argv: argv("--x25=3"), act: usageErr("netstat: option '--x25' doesn't allow an argument\n")},
		// Row 9 and the §2.1 ambiguity examples.
		{name: "ambiguous num", argv: argv("--num"), act: usageErr("netstat: option '--num' is ambiguous; possibilities: '--numeric' '--numeric-hosts' '--numeric-ports' '--numeric-users'\n")},
		{name: "ambiguous in", argv: argv("--in"), act: usageErr("netstat: option '--in' is ambiguous; possibilities: '--inet' '--interfaces'\n")},
		{name: "ambiguous ro", argv: argv("--ro"), act: usageErr("netstat: option '--ro' is ambiguous; possibilities: '--rose' '--route'\n")},
		{name: "ambiguous u", argv: argv("--u"), act: usageErr("netstat: option '--u' is ambiguous; possibilities: '--unix' '--udp' '--udplite' '--unix'\n")},
		{name: "ambiguous a", argv: argv("--a"), act: usageErr("netstat: option '--a' is ambiguous; possibilities: '--ax25' '--all'\n")},
		{name: "ambiguous t", argv: argv("--t"), act: usageErr("netstat: option '--t' is ambiguous; possibilities: '--tcpip' '--tcp' '--timers'\n")},
		{name: "ambiguous r", argv: argv("--r"), act: usageErr("netstat: option '--r' is ambiguous; possibilities: '--rose' '--route' '--raw' '--rfcomm'\n")},
		{name: "ambiguous c", argv: argv("--c"), act: usageErr("netstat: option '--c' is ambiguous; possibilities: '--continuous' '--cache' '--context'\n")},
		{name: "ambiguous p", argv: argv("--p"), act: usageErr("netstat: option '--p' is ambiguous; possibilities: '--protocol' '--programs'\n")},
		{name: "ambiguous v", argv: argv("--v"), act: usageErr("netstat: option '--v' is ambiguous; possibilities: '--version' '--verbose'\n")},
		{name: "ambiguous l", argv: argv("--l"), act: usageErr("netstat: option '--l' is ambiguous; possibilities: '--l2cap' '--listening'\n")},
		{name: "ambiguous tc", argv: argv("--tc"), act: usageErr("netstat: option '--tc' is ambiguous; possibilities: '--tcpip' '--tcp'\n")},
		{name: "ambiguous i", argv: argv("--i"), act: usageErr("netstat: option '--i' is ambiguous; possibilities: '--ip' '--interfaces'\n")},
		{name: "ambiguous with value", argv: argv("--t=5"), act: usageErr("netstat: option '--t=5' is ambiguous; possibilities: '--tcpip' '--tcp' '--timers'\n")},
		{name: "ambiguous empty name", argv: argv("--=foo"), act: usageErr("netstat: option '--=foo' is ambiguous; possibilities: '--ax25' '--version' '--interfaces' '--help' '--route' '--masquerade' '--protocol' '--tcp' '--sctp' '--udp' '--udplite' '--raw' '--unix' '--l2cap' '--rfcomm' '--listening' '--all' '--timers' '--continuous' '--extend' '--programs' '--verbose' '--statistics' '--wide' '--numeric' '--numeric-hosts' '--numeric-ports' '--numeric-users' '--symbolic' '--cache' '--fib' '--groups' '--context'\n")},
		// Row 10.
		{name: "ine prefix", argv: argv("--ine", "-n"), cfg: conf(func(c *Config) {
			c.Inet, c.Families = 1, []string{"inet"}
			numeric(c)
			impliedProtocols(c)
		})},
		{name: "w prefix", argv: argv("--w", "-a"), cfg: conf(func(c *Config) { c.Wide, c.All = 1, 1 })},
		{name: "prog prefix", argv: argv("--prog", "-ln"), cfg: conf(func(c *Config) {
			c.Programs, c.Listening = 1, 1
			numeric(c)
		})},
		{name: "stat prefix", argv: argv("--stat"), cfg: conf(func(c *Config) {
			c.Statistics = 1
			impliedProtocols(c)
			c.Inet, c.Inet6 = 1, 1
		})},
		// Row 11.
		{name: "A foo", argv: argv("-A", "foo"), act: unknownFam("Unknown address family `foo'.\n")},
		{name: "A inet,foo", argv: argv("-A", "inet,foo"), act: unknownFam("Unknown address family `foo'.\n")},
		{name: "protocol empty", argv: argv("--protocol="), act: unknownFam("Unknown address family `'.\n")},
		{name: "A empty", argv: argv("-A", ""), act: unknownFam("Unknown address family `'.\n")},
		{name: "At", argv: argv("-At"), act: unknownFam("Unknown address family `t'.\n")},
		// Row 12.
		{name: "53 times -4", argv: append(argv(repeat("-4", 53)...), "-n"), warn: tooMuch + tooMuch, cfg: conf(func(c *Config) {
			c.Inet, c.Families = 51, inet51
			numeric(c)
			impliedProtocols(c)
		})},
		// Row 13.
		{name: "rr", argv: argv("-rr"), act: usageErr("")},
		{name: "ii", argv: argv("-ii"), act: usageErr("")},
		{name: "ss", argv: argv("-ss"), act: usageErr("")},
		{name: "MM", argv: argv("-MM"), act: usageErr("")},
		{name: "ri", argv: argv("-ri"), act: usageErr("")},
		{name: "rs", argv: argv("-rs"), act: usageErr("")},
		{name: "is", argv: argv("-is"), act: usageErr("")},
		{name: "r M", argv: argv("-r", "-M"), act: usageErr("")},
		// Row 14.
		{name: "Z", argv: argv("-Z"), act: noSELinux()},
		{name: "h Z", argv: argv("-h", "-Z"), act: help()},
		{name: "Z h", argv: argv("-Z", "-h"), act: noSELinux()},
		{name: "context", argv: argv("--context"), act: noSELinux()},
		// Row 15.
		{name: "I", argv: argv("-I"), act: usageErr("netstat: invalid option -- 'I'\n")},
		{name: "Ieth0", argv: argv("-Ieth0"), act: usageErr("netstat: invalid option -- 'I'\n")},
		{name: "T", argv: argv("-T"), act: usageErr("netstat: invalid option -- 'T'\n")},
		// Row 16.
		{name: "tcpip", argv: argv("--tcpip", "-n"), warn: internalError, cfg: conf(numeric)},
		{name: "tcpi", argv: argv("--tcpi", "-n"), warn: internalError, cfg: conf(numeric)},
		{name: "A tcpip", argv: argv("-A", "tcpip", "-n"), cfg: conf(func(c *Config) {
			c.Inet, c.Families = 1, []string{"inet"}
			numeric(c)
			impliedProtocols(c)
		})},
		// Row 17.
		{name: "positional", argv: argv("foo"), cfg: conf(nil)},
		{name: "t with positionals", argv: argv("-t", "foo", "bar"), cfg: conf(func(c *Config) {
			c.TCP, c.Inet, c.Inet6, c.Arg = 1, 1, 1, 1
		})},
		{name: "double dash", argv: argv("--", "-t"), cfg: conf(nil)},
		{name: "t double dash u", argv: argv("-t", "--", "-u"), cfg: conf(func(c *Config) {
			c.TCP, c.Inet, c.Inet6, c.Arg = 1, 1, 1, 1
		})},
		{name: "posix stops at positional", posix: true, argv: argv("foo", "-Q"), cfg: conf(nil)},
		{name: "permutation reaches Q", argv: argv("foo", "-Q"), act: usageErr("netstat: invalid option -- 'Q'\n")},

		// More getopt details.
		{name: "posix stops at lone dash", posix: true, argv: argv("-", "-Q"), cfg: conf(nil)},
		{name: "lone dash", argv: argv("-", "-V"), act: version()},
		{name: "empty positional", argv: argv("", "-V"), act: version()},
		{name: "protocol takes next word", argv: argv("--protocol", "-Q"), act: unknownFam("Unknown address family `-Q'.\n")},
		{name: "A takes next word", argv: argv("-A", "-Q"), act: unknownFam("Unknown address family `-Q'.\n")},
		{name: "A at end of bundle", argv: argv("-tA"), act: usageErr("netstat: option requires an argument -- 'A'\n")},
		{name: "protocol then Q", argv: argv("--protocol", "inet", "-Q"), act: usageErr("netstat: invalid option -- 'Q'\n")},
		{name: "invalid colon", argv: argv("-:"), act: usageErr("netstat: invalid option -- ':'\n")},
		{name: "invalid semicolon", argv: argv("-;"), act: usageErr("netstat: invalid option -- ';'\n")},
		{name: "invalid high byte", argv: argv("-\xff"), act: usageErr("netstat: invalid option -- '\xff'\n")},
		{name: "ip exact with value", argv: argv("--ip=3"), act: usageErr("netstat: option '--ip' doesn't allow an argument\n")},
		{name: "x prefix with value", argv: argv("--x=1"), act: usageErr("netstat: option '--x25' doesn't allow an argument\n")},
		{name: "tcpip then V", argv: argv("--tcpip", "-V"), act: &Action{Kind: ActionVersion, Stdout: capturedVersion, Stderr: internalError}},
		{name: "tcpip then h", argv: argv("--tcpip", "-h"), act: helpAfter(internalError)},
		{name: "tcpip then Q", argv: argv("--tcpip", "-Q"), act: usageErr(internalError + "netstat: invalid option -- 'Q'\n")},
		{name: "tcpip then rr", argv: argv("--tcpip", "-rr"), act: usageErr(internalError)},
		{name: "d and -2 -f accepted", argv: argv("-d", "-2", "-f", "-V"), act: version()},

		// Family lists (lib/af.c aftrans_opt).
		{name: "A longer than 255 bytes", argv: argv("-A", strings.Repeat("x", 300)), act: unknownFam("Unknown address family `" + strings.Repeat("x", 255) + "'.\n")},
		{name: "A cut inside the list", argv: argv("-A", strings.Repeat("inet,", 51)+"unix", "-V"), act: unknownFam("Unknown address family `'.\n")},
		{name: "too much skips the rest", argv: argv("-A", strings.Repeat("ip,", 85), "-V"), act: &Action{Kind: ActionVersion, Stdout: capturedVersion, Stderr: tooMuch}},
		{name: "too much then h", argv: append(argv(repeat("-4", 52)...), "-h"), act: helpAfter(tooMuch)},
		{name: "aliases", argv: argv("-A", "ip6,unix,appletalk,econet,ash,tcpip", "--ddp", "--ax25", "--x25", "--netrom", "--rose", "--ipx"), cfg: conf(func(c *Config) {
			c.Inet6, c.Unix, c.DDP, c.Econet, c.Ash, c.Inet = 1, 1, 2, 1, 1, 1
			c.AX25, c.X25, c.NetROM, c.Rose, c.IPX = 1, 1, 1, 1, 1
			c.Families = []string{"inet6", "unix", "ddp", "ec", "ash", "inet", "ddp", "ax25", "x25", "netrom", "rose", "ipx"}
			impliedProtocols(c)
			c.Arg = 5 + 1 + 1 + 1 + 1 + 1 + 1 // protocols, unix, ipx, ax25, netrom, x25, rose
		})},
		{name: "4 6 x", argv: argv("-46x", "--inet6", "--unix", "--ip"), cfg: conf(func(c *Config) {
			c.Inet, c.Inet6, c.Unix = 2, 2, 2
			c.Families = []string{"inet", "inet6", "unix", "inet6", "unix", "inet"}
			impliedProtocols(c)
			c.Arg = 7
		})},
		{name: "unix option is x", argv: argv("-ux"), cfg: conf(func(c *Config) {
			c.UDP, c.Unix, c.Families, c.Inet, c.Inet6, c.Arg = 1, 1, []string{"unix"}, 1, 1, 2
		})},
		{name: "bluetooth", argv: argv("--bluetooth"), cfg: conf(func(c *Config) {
			c.Bluetooth, c.Families, c.L2CAP, c.RFCOMM, c.Arg = 1, []string{"bluetooth"}, 1, 1, 2
		})},
		{name: "bluetooth with l2cap", argv: argv("-A", "bluetooth", "-2"), cfg: conf(func(c *Config) {
			c.Bluetooth, c.Families, c.L2CAP, c.Arg = 1, []string{"bluetooth"}, 1, 1
		})},
		{name: "rfcomm alone", argv: argv("-f"), cfg: conf(func(c *Config) { c.RFCOMM, c.Arg = 1, 1 })},

		// Counters and bits.
		{name: "tulpn", argv: argv("-tulpn"), cfg: conf(func(c *Config) {
			c.TCP, c.UDP, c.Listening, c.Programs = 1, 1, 1, 1
			numeric(c)
			c.Inet, c.Inet6, c.Arg = 1, 1, 2
		})},
		{name: "counts", argv: argv("-ttSuUUww", "-aall", "-oopp", "-cc", "-WW", "-vv", "-ggg", "-eee", "-d"), cfg: conf(func(c *Config) {
			c.TCP, c.SCTP, c.UDP, c.UDPLite, c.Raw = 2, 1, 1, 2, 2
			c.All, c.Listening, c.Timers, c.Programs, c.Continuous, c.Wide = 2, 2, 2, 2, 2, 2
			c.Verbose, c.Groups, c.Extend = 1, 3, 4
			c.Inet, c.Inet6 = 1, 1
			c.Arg = 2 + 1 + 1 + 2 + 2 + 3
		})},
		{name: "numeric bits", argv: argv("--numeric-hosts", "--numeric-p", "--numeric-u", "-N", "-C", "-F"), cfg: conf(func(c *Config) {
			numeric(c)
			c.Symbolic, c.Cache, c.FIB = true, true, true
		})},
		{name: "long flags", argv: argv("--route", "--extend", "--extend", "--verbose", "--cache", "--fib", "--symbolic", "--numeric", "--continuous", "--wide", "--groups"), cfg: conf(func(c *Config) {
			c.Route, c.Extend, c.Verbose, c.Cache, c.FIB, c.Symbolic, c.Continuous, c.Wide, c.Groups = 1, 3, 1, true, true, true, 1, 1, 1
			numeric(c)
			c.Inet, c.Inet6, c.Arg = 1, 1, 1
		})},
		{name: "long protocols", argv: argv("--tcp", "--sctp", "--udp", "--udplite", "--raw", "--l2cap", "--rfcomm", "--listening", "--all", "--timers", "--programs"), cfg: conf(func(c *Config) {
			c.TCP, c.SCTP, c.UDP, c.UDPLite, c.Raw, c.L2CAP, c.RFCOMM = 1, 1, 1, 1, 1, 1, 1
			c.Listening, c.All, c.Timers, c.Programs = 1, 1, 1, 1
			c.Inet, c.Inet6, c.Arg = 1, 1, 7
		})},
		{name: "groups", argv: argv("-g"), cfg: conf(func(c *Config) { c.Groups, c.Inet, c.Inet6, c.Arg = 1, 1, 1, 1 })},
		{name: "groups and unix", argv: argv("-g", "-x"), cfg: conf(func(c *Config) {
			c.Groups, c.Unix, c.Families, c.Inet, c.Inet6, c.Arg = 1, 1, []string{"unix"}, 1, 1, 2
		})},
		{name: "gg not exclusive", argv: argv("-gg", "-r"), cfg: conf(func(c *Config) {
			c.Groups, c.Route, c.Inet, c.Inet6, c.Arg = 2, 1, 1, 1, 2
		})},
		{name: "route twice inet", argv: argv("-r", "-4", "-4"), cfg: conf(func(c *Config) {
			c.Route, c.Inet, c.Families = 1, 2, []string{"inet", "inet"}
			impliedProtocols(c)
		})},
		{name: "statistics inet6 tcp", argv: argv("-s", "-6", "-t"), cfg: conf(func(c *Config) {
			c.Statistics, c.Inet6, c.Families, c.TCP, c.Arg = 1, 1, []string{"inet6"}, 1, 1
		})},
		{name: "interfaces", argv: argv("--interfaces", "-a"), cfg: conf(func(c *Config) { c.Interfaces, c.All = 1, 1 })},
		{name: "masquerade", argv: argv("--masquerade"), cfg: conf(func(c *Config) { c.Masquerade = 1 })},
		{name: "ddp does not count", argv: argv("--appletalk"), cfg: conf(func(c *Config) { c.DDP, c.Families = 1, []string{"ddp"} })},
		{name: "no arguments at all", argv: nil, cfg: &Config{Extend: 1}},
		{name: "empty prog", argv: []string{""}, cfg: &Config{Extend: 1}},
	}
}

func TestParse(t *testing.T) {
	for _, tc := range parseCases() {
		t.Run(tc.name, func(t *testing.T) {
			cfg, warn, act := Parse(tc.argv, tc.posix)
			if diff := cmp.Diff(tc.act, act); diff != "" {
				t.Errorf("Action (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.cfg, cfg); diff != "" {
				t.Errorf("Config (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.warn, warn); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUsageText(t *testing.T) {
	sum := md5.Sum([]byte(usageText))
	if got := hex.EncodeToString(sum[:]); got != "f275ab31199519e62f786dc935ef77b4" || len(usageText) != 1732 {
		t.Errorf("usageText: md5 %s, %d bytes; want f275ab31199519e62f786dc935ef77b4, 1732 bytes", got, len(usageText))
	}
	for _, c := range []struct{ name, got, want string }{
		{"usage", usageText, capturedUsage},
		{"AF list", afListText, capturedAFList},
		{"version", versionText, capturedVersion},
	} {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

func TestActionKindString(t *testing.T) {
	for k, want := range map[ActionKind]string{
		ActionHelp: "help", ActionVersion: "version", ActionUsageError: "usage error",
		ActionUnknownFamily: "unknown family", ActionNoSELinux: "no SELinux", 0: "ActionKind(0)",
	} {
		if got := k.String(); got != want {
			t.Errorf("ActionKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

// FuzzParse checks that any command line yields exactly one of a Config and an
// Action, never a panic, and that the Action is one netstat can produce.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases() {
		f.Add(strings.Join(tc.argv, "\x00"), tc.posix)
	}
	f.Fuzz(func(t *testing.T, args string, posix bool) {
		argv := strings.Split(args, "\x00")
		cfg, warn, act := Parse(argv, posix)
		if (cfg == nil) == (act == nil) {
			t.Fatalf("Parse(%q): cfg %v, act %v; want exactly one", argv, cfg, act)
		}
		if act != nil {
			if warn != "" {
				t.Fatalf("warnings %q returned with an Action", warn)
			}
			switch act.Kind {
			case ActionHelp, ActionVersion:
				if act.Exit != 0 {
					t.Fatalf("%v exits %d", act.Kind, act.Exit)
				}
			case ActionUsageError:
				if act.Exit != 3 || act.Stdout != "" || !strings.HasSuffix(act.Stderr, usageText+afListText) {
					t.Fatalf("bad usage error %+v", act)
				}
			case ActionUnknownFamily, ActionNoSELinux:
				if act.Exit != 1 || act.Stdout != "" {
					t.Fatalf("bad %v %+v", act.Kind, act)
				}
			default:
				t.Fatalf("unknown kind %v", act.Kind)
			}
			return
		}
		if cfg.Interfaces+cfg.Route+cfg.Masquerade+cfg.Statistics > 1 {
			t.Fatalf("Config with exclusive modes: %+v", cfg)
		}
		if n := len(strings.Join(cfg.Families, ",")); n > 255 {
			t.Fatalf("family list of %d bytes", n)
		}
	})
}
