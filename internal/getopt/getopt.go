// Package getopt emulates glibc's getopt_long(3) (posix/getopt.c, glibc 2.26 and
// later, including 2.36) closely enough that a program built on it accepts, rejects,
// abbreviates and reports command lines byte for byte as the C original does.
//
// The emulation covers argument permutation, "--", POSIXLY_CORRECT (passed in, never
// read from the environment), a leading '+', '-' or ':' in the short-option string,
// required and optional arguments, bundling, "-W foo" for a "W;" short option, long
// options with "=value" or a separate value, abbreviations and glibc's ambiguity rule,
// and every diagnostic glibc prints. It does not emulate getopt_long_only, the flag
// pointer of struct option (every Option returns its Val), or opterr = 0 other than
// through a leading ':'.
//
// A Parser is an iterator: each call of Next is one call of getopt_long, so callers
// can act on each option in order and stop at any point, as C programs do.
package getopt

import (
	"iter"
	"strings"
)

// Values of Option.HasArg, as in <getopt.h>.
const (
	NoArgument       = 0
	RequiredArgument = 1
	OptionalArgument = 2
)

// Option is one entry of a long-option table (struct option with flag == NULL).
type Option struct {
	Name   string
	HasArg int // NoArgument, RequiredArgument or OptionalArgument
	Val    int // returned by Next when the option is found
}

// Result is what one call of getopt_long produced.
type Result struct {
	// Opt is getopt_long's return value: the option character, the Val of a long
	// option, '?' for an error (or an explicit "-?" when '?' is a valid option), ':'
	// for a missing argument when the short-option string starts with ':', or 1 for a
	// non-option argument when it starts with '-'.
	Opt int
	// Arg is optarg; HasArg reports whether optarg was set (non-NULL).
	Arg    string
	HasArg bool
	// LongIndex is what getopt_long stores through longindex: the index of the
	// matched long option, or -1 when no long option was matched by this call.
	LongIndex int
	// Optopt is the value of optopt after the call. glibc sets it on errors only, so
	// it keeps its previous value (initially 0) otherwise.
	Optopt int
	// Message is the diagnostic glibc writes to stderr for this call, including the
	// trailing newline, or "" if it writes nothing.
	Message string
}

type ordering int

const (
	permute ordering = iota
	requireOrder
	returnInOrder
)

// Parser walks an argument vector the way successive getopt_long calls do.
// The zero value is not usable; create one with New.
type Parser struct {
	argv        []string
	optstring   string // without a leading '+' or '-'
	longopts    []Option
	ordering    ordering
	printErrors bool

	optind      int
	firstNonopt int
	lastNonopt  int
	nextchar    string
	optopt      int
	done        bool
}

// New returns a Parser over argv (argv[0] is the program name used in diagnostics)
// with the given short-option string and long-option table. posixlyCorrect stands
// for the presence of POSIXLY_CORRECT in the environment. Like C strings, every
// element of argv ends at its first NUL byte. New copies argv; the Parser permutes
// its copy (see Argv).
func New(argv []string, optstring string, longopts []Option, posixlyCorrect bool) *Parser {
	p := &Parser{
		argv:        make([]string, len(argv)),
		longopts:    longopts,
		printErrors: true,
		optind:      1,
		firstNonopt: 1,
		lastNonopt:  1,
	}
	for i, a := range argv {
		p.argv[i] = cString(a)
	}
	optstring = cString(optstring)
	switch {
	case strings.HasPrefix(optstring, "-"):
		p.ordering = returnInOrder
		optstring = optstring[1:]
	case strings.HasPrefix(optstring, "+"):
		p.ordering = requireOrder
		optstring = optstring[1:]
	case posixlyCorrect:
		p.ordering = requireOrder
	default:
		p.ordering = permute
	}
	if strings.HasPrefix(optstring, ":") {
		p.printErrors = false
	}
	p.optstring = optstring
	return p
}

// cString returns s up to its first NUL byte.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// Optind returns the current value of optind. After Next has reported the end of
// the options, Argv()[Optind():] are the non-option arguments.
func (p *Parser) Optind() int { return p.optind }

// Argv returns a copy of the argument vector as permuted so far.
func (p *Parser) Argv() []string { return append([]string(nil), p.argv...) }

// All returns an iterator over the remaining results of Next.
func (p *Parser) All() iter.Seq[Result] {
	return func(yield func(Result) bool) {
		for {
			r, ok := p.Next()
			if !ok || !yield(r) {
				return
			}
		}
	}
}

// Next performs one getopt_long call. It returns false when getopt_long would return
// -1 (end of options); every later call returns false too.
func (p *Parser) Next() (Result, bool) {
	if p.done {
		return Result{}, false
	}
	r, ok := p.next()
	if !ok {
		p.done = true
		return Result{}, false
	}
	r.Optopt = p.optopt
	return r, ok
}

// isNonoption is glibc's NONOPTION_P for argv[optind].
func (p *Parser) isNonoption() bool {
	a := p.argv[p.optind]
	return len(a) < 2 || a[0] != '-'
}

func (p *Parser) next() (Result, bool) {
	res := Result{LongIndex: -1}
	argc := len(p.argv)
	if argc < 1 {
		return res, false
	}

	if p.nextchar == "" {
		// Advance to the next ARGV-element.
		if p.lastNonopt > p.optind {
			p.lastNonopt = p.optind
		}
		if p.firstNonopt > p.optind {
			p.firstNonopt = p.optind
		}

		if p.ordering == permute {
			// Put the options just processed in front of the skipped non-options.
			if p.firstNonopt != p.lastNonopt && p.lastNonopt != p.optind {
				p.exchange()
			} else if p.lastNonopt != p.optind {
				p.firstNonopt = p.optind
			}
			// Skip any further non-options.
			for p.optind < argc && p.isNonoption() {
				p.optind++
			}
			p.lastNonopt = p.optind
		}

		// "--" ends the options; everything after it is a non-option.
		if p.optind != argc && p.argv[p.optind] == "--" {
			p.optind++
			if p.firstNonopt != p.lastNonopt && p.lastNonopt != p.optind {
				p.exchange()
			} else if p.firstNonopt == p.lastNonopt {
				p.firstNonopt = p.optind
			}
			p.lastNonopt = argc
			p.optind = argc
		}

		if p.optind == argc {
			// Point optind at the non-options skipped and permuted.
			if p.firstNonopt != p.lastNonopt {
				p.optind = p.firstNonopt
			}
			return res, false
		}

		if p.isNonoption() {
			if p.ordering == requireOrder {
				return res, false
			}
			res.Opt = 1
			res.Arg, res.HasArg = p.argv[p.optind], true
			p.optind++
			return res, true
		}

		if p.longopts != nil && p.argv[p.optind][1] == '-' {
			// "--foo" is always a long option ("--" was handled above).
			p.nextchar = p.argv[p.optind][2:]
			return p.processLongOption("--"), true
		}

		// A short-option element: skip the initial '-'.
		p.nextchar = p.argv[p.optind][1:]
	}

	// The next short option character.
	c := p.nextchar[0]
	p.nextchar = p.nextchar[1:]
	i := strings.IndexByte(p.optstring, c)
	if p.nextchar == "" {
		// optind is incremented when the last character of an element is processed.
		p.optind++
	}
	ci := int(int8(c)) // C's char is signed on amd64
	res.Opt = ci

	if i < 0 || c == ':' || c == ';' {
		if p.printErrors {
			res.Message = p.argv[0] + ": invalid option -- '" + string([]byte{c}) + "'\n"
		}
		p.optopt = ci
		res.Opt = '?'
		return res, true
	}
	temp := p.optstring[i:]
	spec1 := byteAt(temp, 1)

	if c == 'W' && spec1 == ';' && p.longopts != nil {
		// "-W foo" is "--foo"; it requires an argument.
		var name string
		switch {
		case p.nextchar != "":
			name = p.nextchar
		case p.optind == argc:
			if p.printErrors {
				res.Message = p.argv[0] + ": option requires an argument -- '" + string([]byte{c}) + "'\n"
			}
			p.optopt = ci
			res.Opt = p.missingArgCode()
			return res, true
		default:
			name = p.argv[p.optind]
		}
		p.nextchar = name
		return p.processLongOption("-W "), true
	}

	if spec1 == ':' {
		if byteAt(temp, 2) == ':' {
			// Optional argument: only the rest of this element.
			if p.nextchar != "" {
				res.Arg, res.HasArg = p.nextchar, true
				p.optind++
			}
			p.nextchar = ""
		} else {
			// Required argument.
			switch {
			case p.nextchar != "":
				res.Arg, res.HasArg = p.nextchar, true
				p.optind++
			case p.optind == argc:
				if p.printErrors {
					res.Message = p.argv[0] + ": option requires an argument -- '" + string([]byte{c}) + "'\n"
				}
				p.optopt = ci
				res.Opt = p.missingArgCode()
			default:
				res.Arg, res.HasArg = p.argv[p.optind], true
				p.optind++
			}
			p.nextchar = ""
		}
	}
	return res, true
}

// missingArgCode is what getopt returns for a missing required argument.
func (p *Parser) missingArgCode() int {
	if strings.HasPrefix(p.optstring, ":") {
		return ':'
	}
	return '?'
}

func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// processLongOption handles p.nextchar as a long option (glibc process_long_option
// with long_only == 0). optind has not yet been advanced over the element.
func (p *Parser) processLongOption(prefix string) Result {
	res := Result{LongIndex: -1}
	argc := len(p.argv)
	name, value, hasValue := strings.Cut(p.nextchar, "=")

	// An exact match wins.
	found := -1
	for i, o := range p.longopts {
		if o.Name == name {
			found = i
			break
		}
	}

	if found < 0 {
		// Abbreviations: the first candidate in table order is chosen unless a later
		// candidate differs from it in (has_arg, flag, val).
		var ambig []bool
		for i, o := range p.longopts {
			if !strings.HasPrefix(o.Name, name) {
				continue
			}
			if found < 0 {
				found = i
				continue
			}
			f := p.longopts[found]
			if f.HasArg != o.HasArg || f.Val != o.Val {
				if ambig == nil {
					ambig = make([]bool, len(p.longopts))
					ambig[found] = true
				}
				ambig[i] = true
			}
		}
		if ambig != nil {
			if p.printErrors {
				var b strings.Builder
				b.WriteString(p.argv[0] + ": option '" + prefix + p.nextchar + "' is ambiguous; possibilities:")
				for i, in := range ambig {
					if in {
						b.WriteString(" '" + prefix + p.longopts[i].Name + "'")
					}
				}
				b.WriteString("\n")
				res.Message = b.String()
			}
			p.nextchar = ""
			p.optind++
			p.optopt = 0
			res.Opt = '?'
			return res
		}
	}

	if found < 0 {
		if p.printErrors {
			res.Message = p.argv[0] + ": unrecognized option '" + prefix + p.nextchar + "'\n"
		}
		p.nextchar = ""
		p.optind++
		p.optopt = 0
		res.Opt = '?'
		return res
	}

	// Consume the matched option.
	o := p.longopts[found]
	p.optind++
	p.nextchar = ""
	if hasValue {
		if o.HasArg != NoArgument {
			res.Arg, res.HasArg = value, true
		} else {
			if p.printErrors {
				res.Message = p.argv[0] + ": option '" + prefix + o.Name + "' doesn't allow an argument\n"
			}
			p.optopt = o.Val
			res.Opt = '?'
			return res
		}
	} else if o.HasArg == RequiredArgument {
		if p.optind < argc {
			res.Arg, res.HasArg = p.argv[p.optind], true
			p.optind++
		} else {
			if p.printErrors {
				res.Message = p.argv[0] + ": option '" + prefix + o.Name + "' requires an argument\n"
			}
			p.optopt = o.Val
			res.Opt = p.missingArgCode()
			return res
		}
	}
	res.LongIndex = found
	res.Opt = o.Val
	return res
}

// exchange swaps the skipped non-options [firstNonopt, lastNonopt) with the options
// processed since, [lastNonopt, optind), as glibc's exchange does.
func (p *Parser) exchange() {
	bottom, middle, top := p.firstNonopt, p.lastNonopt, p.optind
	for top > middle && middle > bottom {
		if top-middle > middle-bottom {
			// The bottom segment is the shorter one.
			n := middle - bottom
			for i := 0; i < n; i++ {
				j := top - (middle - bottom) + i
				p.argv[bottom+i], p.argv[j] = p.argv[j], p.argv[bottom+i]
			}
			top -= n
		} else {
			// The top segment is the shorter one.
			n := top - middle
			for i := 0; i < n; i++ {
				p.argv[bottom+i], p.argv[middle+i] = p.argv[middle+i], p.argv[bottom+i]
			}
			bottom += n
		}
	}
	p.firstNonopt += p.optind - p.lastNonopt
	p.lastNonopt = p.optind
}
