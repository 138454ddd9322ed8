package getopt

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type glibcCase struct {
	name      string
	table     int // 0 = NetstatLongOptions, 1 = genericOptions
	optstring string
	posix     bool
	argv      []string
	want      string // the glibc_driver transcript
}

func TestParserMatchesGlibc(t *testing.T) {
	for _, c := range glibcCases {
		t.Run(c.name, func(t *testing.T) {
			got := transcript(New(c.argv, c.optstring, table(c.table), c.posix))
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("argv %q (-want +got):\n%s", c.argv, diff)
			}
		})
	}
}

func TestNetstatLongOptions(t *testing.T) {
	opts := NetstatLongOptions()
	if len(opts) != 45 {
		t.Fatalf("got %d long options, want 45", len(opts))
	}
	var names []string
	for _, o := range opts {
		names = append(names, o.Name)
	}
	// The order of spec §2.2.
	want := strings.Fields(`ax25 x25 ip ipx appletalk netrom inet inet6 ddp rose unix bluetooth
		tcpip version interfaces help route masquerade protocol tcp sctp udp udplite raw unix
		l2cap rfcomm listening all timers continuous extend programs verbose statistics wide
		numeric numeric-hosts numeric-ports numeric-users symbolic cache fib groups context`)
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("long option names (-want +got):\n%s", diff)
	}
	if opts[NetstatFamilyOptions].Name != "tcpip" {
		t.Errorf("option %d is %q, want tcpip", NetstatFamilyOptions, opts[NetstatFamilyOptions].Name)
	}
	// Each call returns a fresh table.
	opts[0].Name = "changed"
	if NetstatLongOptions()[0].Name != "ax25" {
		t.Error("NetstatLongOptions returned shared state")
	}
}

func TestNextStopsForGood(t *testing.T) {
	p := New([]string{"netstat", "-t", "x"}, NetstatShortOptions, NetstatLongOptions(), false)
	var opts []int
	for r := range p.All() {
		opts = append(opts, r.Opt)
	}
	if diff := cmp.Diff([]int{'t'}, opts); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	for range 3 {
		if r, ok := p.Next(); ok {
			t.Fatalf("Next after the end returned %+v", r)
		}
	}
	if got := p.Argv()[p.Optind():]; !slices.Equal(got, []string{"x"}) {
		t.Errorf("non-options = %q, want [x]", got)
	}
}

func TestEmptyArgv(t *testing.T) {
	for _, argv := range [][]string{nil, {}} {
		if r, ok := New(argv, NetstatShortOptions, NetstatLongOptions(), false).Next(); ok {
			t.Errorf("New(%q).Next() = %+v, want end", argv, r)
		}
	}
}

func TestEarlyBreak(t *testing.T) {
	// Stopping the iteration leaves the rest for later calls, as a C loop that
	// exits on one option does.
	p := New([]string{"netstat", "-tV", "-Q"}, NetstatShortOptions, NetstatLongOptions(), false)
	for r := range p.All() {
		if r.Opt == 'V' {
			break
		}
	}
	r, ok := p.Next()
	if !ok || r.Opt != '?' || r.Message != "netstat: invalid option -- 'Q'\n" {
		t.Errorf("after break: Next() = %+v, %v", r, ok)
	}
}

func TestNULEndsArgument(t *testing.T) {
	p := New([]string{"netstat", "-t\x00Q", "--protocol=in\x00x"}, NetstatShortOptions, NetstatLongOptions(), false)
	var got []Result
	for r := range p.All() {
		got = append(got, r)
	}
	want := []Result{
		{Opt: 't', LongIndex: -1},
		{Opt: 'A', Arg: "in", HasArg: true, LongIndex: 18},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

// FuzzParser checks that any command line is walked without a panic, within
// bounds, and that the permuted argv keeps every element.
func FuzzParser(f *testing.F) {
	f.Add("netstat\x00-tulpn\x00--prot\x00inet\x00--\x00-x", "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", false)
	f.Add("p\x00--t=5\x00foo\x00-W\x00alpha", "-:ab:g::W;", true)
	f.Add("\x00-\x00--\x00--=", "+:", false)
	f.Fuzz(func(t *testing.T, args, optstring string, posix bool) {
		argv := strings.Split(args, "\x00")
		for _, tab := range []int{0, 1} {
			p := New(argv, optstring, table(tab), posix)
			steps := 0
			for r := range p.All() {
				steps++
				if steps > 4*len(args)+8 {
					t.Fatalf("too many results for %q", argv)
				}
				if r.LongIndex >= len(table(tab)) {
					t.Fatalf("LongIndex %d out of range", r.LongIndex)
				}
			}
			if p.Optind() < 0 || p.Optind() > len(argv) {
				t.Fatalf("optind %d out of range for %d args", p.Optind(), len(argv))
			}
			got := p.Argv()
			if len(argv) > 0 {
				want := make([]string, len(argv))
				for i, a := range argv {
					want[i] = cString(a)
				}
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(want, got) {
					t.Fatalf("Argv() is not a permutation of argv: %q vs %q", got, want)
				}
			}
		}
	})
}
