package cli

import (
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/internal/analysis"
)

// Extensions are netstat-go's own options, which net-tools 2.10 does not have. They
// are taken out of the command line before net-tools' option processing and only by
// their exact names (no abbreviations), so every net-tools command line keeps its
// behaviour, ambiguity messages included: each of these names is an "unrecognized
// option" error in net-tools.
type Extensions struct {
	// Format is the output format: "" (net-tools text), "json" or "csv".
	Format string
	// States restricts sockets to TCP states (--state=LIST, ss or netstat spelling).
	States []string
	// Filter is an ss-style filter expression (--filter EXPR).
	Filter string
	// Process restricts sockets to those owned by a program name or PID (--process).
	Process string
	// User restricts sockets to those of a user name or uid (--user).
	User string
	// Count groups sockets by these keys and prints counts (--count=KEY[,KEY...]).
	Count []string
	// Top keeps the first N groups of --count (0: all).
	Top int
	// Subcommand is a netstat-go subcommand given as the first argument ("states",
	// "help").
	Subcommand string
	// Explain holds the states named after "states" (netstat states CLOSE_WAIT): the
	// guide then explains only those. 0: all.
	Explain analysis.StateSet
	// ExplainUnknown: UNKNOWN was named after "states", for the guide's paragraph on
	// state numbers without a name.
	ExplainUnknown bool
	// Shell is the shell named after "completion" (bash, zsh or fish).
	Shell string
}

// Active reports whether any extension was given.
func (x *Extensions) Active() bool {
	return x.Format != "" || len(x.States) > 0 || x.Filter != "" || x.Process != "" ||
		x.User != "" || len(x.Count) > 0 || x.Top != 0 || x.Subcommand != ""
}

// extOption describes one extension option: whether it takes a value.
var extOptions = map[string]bool{
	"--format":  true,
	"--json":    false,
	"--state":   true,
	"--filter":  true,
	"--process": true,
	"--user":    true,
	"--count":   true,
	"--top":     true,
}

// subcommands are the netstat-go subcommands recognised as the first argument. net-tools
// ignores positional arguments, so `netstat states` printed the default listing there.
var subcommands = map[string]bool{"states": true, "help": true, "completion": true}

// splitExtensions removes netstat-go's extension options (and a leading subcommand)
// from args (args[0] is the program name) and returns the rest for net-tools' parser.
// A malformed extension yields a usage Action (exit 3) naming the offending token.
func splitExtensions(args []string) ([]string, Extensions, *Action) {
	var x Extensions
	if len(args) == 0 {
		return args, x, nil
	}
	rest := []string{args[0]}
	i := 1
	if i < len(args) && subcommands[args[i]] {
		x.Subcommand = args[i]
		i++
	}
	for ; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		// Keep the value of net-tools' -A/--protocol with the option, so that
		// `netstat -A --json` still fails the way net-tools does.
		if takesNextAsFamily(a) && i+1 < len(args) {
			rest = append(rest, a, args[i+1])
			i++
			continue
		}
		if x.Subcommand == "completion" && a != "" && a[0] != '-' {
			if x.Shell != "" || completionScripts[a] == nil {
				return nil, x, extError("completion: unknown shell '" + a + "' (want bash, zsh or fish)")
			}
			x.Shell = a
			continue
		}
		if x.Subcommand == "states" && a != "" && a[0] != '-' {
			if analysis.IsUnknownState(a) {
				x.ExplainUnknown = true
				continue
			}
			set, ok := analysis.ParseState(a)
			if !ok {
				return nil, x, extError("states: " + (&analysis.StateError{Name: a}).Error())
			}
			x.Explain |= set
			continue
		}
		name, value, hasValue := strings.Cut(a, "=")
		needsValue, ok := extOptions[name]
		if !ok {
			rest = append(rest, a)
			continue
		}
		if !needsValue && hasValue {
			return nil, x, extError("option '" + name + "' doesn't allow an argument")
		}
		if needsValue && !hasValue {
			if i+1 >= len(args) {
				return nil, x, extError("option '" + name + "' requires an argument")
			}
			i++
			value = args[i]
		}
		if act := x.set(name, value); act != nil {
			return nil, x, act
		}
	}
	return rest, x, nil
}

// takesNextAsFamily reports whether net-tools' getopt would take the next argument as
// the value of -A (a bundle ending in A) or of --protocol (or a prefix of it).
func takesNextAsFamily(a string) bool {
	if len(a) >= 2 && a[0] == '-' && a[1] != '-' {
		j := strings.IndexByte(a, 'A')
		return j == len(a)-1
	}
	return len(a) >= 6 && !strings.Contains(a, "=") && strings.HasPrefix("--protocol", a)
}

func (x *Extensions) set(name, value string) *Action {
	switch name {
	case "--format":
		switch value {
		case "text", "json", "csv":
			if value == "text" {
				value = ""
			}
			x.Format = value
		default:
			return extError("unknown format '" + value + "' in --format (want text, json or csv)")
		}
	case "--json":
		x.Format = "json"
	case "--state":
		x.States = append(x.States, splitList(value)...)
	case "--filter":
		x.Filter = value
	case "--process":
		x.Process = value
	case "--user":
		x.User = value
	case "--count":
		x.Count = append(x.Count, splitList(value)...)
	case "--top":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 {
			return extError("invalid number '" + value + "' in --top (want a positive integer)")
		}
		x.Top = n
	}
	return nil
}

func splitList(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// extError is the one-line message and exit status 3 of a bad extension argument.
func extError(msg string) *Action {
	return &Action{Kind: ActionUsageError, Stderr: "netstat: " + msg + "\n", Exit: exitUsage}
}
