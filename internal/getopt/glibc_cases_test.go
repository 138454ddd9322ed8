package getopt

// glibcCases were captured from the real glibc 2.36 getopt_long with
// testdata/glibc_driver.c (see TestGlibc), e.g.
//
//	gcc -O2 -o /tmp/getopt_driver internal/getopt/testdata/glibc_driver.c
//	LC_ALL=C /tmp/getopt_driver 0 'A:CFMacdeghilnNoprsStuUvVWw2fx64?Z' netstat -tulpn -tAinet -At
var glibcCases = []glibcCase{
	{
		name: "bundle and -A rest of bundle", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "-tulpn", "-tAinet", "-At"},
		want: "R opt=116 arg=NULL longind=-1 optopt=0 optind=1\n" +
			"R opt=117 arg=NULL longind=-1 optopt=0 optind=1\n" +
			"R opt=108 arg=NULL longind=-1 optopt=0 optind=1\n" +
			"R opt=112 arg=NULL longind=-1 optopt=0 optind=1\n" +
			"R opt=110 arg=NULL longind=-1 optopt=0 optind=2\n" +
			"R opt=116 arg=NULL longind=-1 optopt=0 optind=2\n" +
			"R opt=65 arg=[inet] longind=-1 optopt=0 optind=3\n" +
			"R opt=65 arg=[t] longind=-1 optopt=0 optind=4\n" +
			"END optind=4\n" +
			"A [netstat]\n" +
			"A [-tulpn]\n" +
			"A [-tAinet]\n" +
			"A [-At]\n",
	},
	{
		name: "-A separate argument may look like an option", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "-A", "-Q", "-A", "--"},
		want: "R opt=65 arg=[-Q] longind=-1 optopt=0 optind=3\n" +
			"R opt=65 arg=[--] longind=-1 optopt=0 optind=5\n" +
			"END optind=5\n" +
			"A [netstat]\n" +
			"A [-A]\n" +
			"A [-Q]\n" +
			"A [-A]\n" +
			"A [--]\n",
	},
	{
		name: "-A missing at the end", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "-tA"},
		want: "R opt=116 arg=NULL longind=-1 optopt=0 optind=1\n" +
			"netstat: option requires an argument -- 'A'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=65 optind=2\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [-tA]\n",
	},
	{
		name: "permutation moves options first", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "foo", "-t", "bar", "-u", "baz"},
		want: "R opt=116 arg=NULL longind=-1 optopt=0 optind=3\n" +
			"R opt=117 arg=NULL longind=-1 optopt=0 optind=5\n" +
			"END optind=3\n" +
			"A [netstat]\n" +
			"A [-t]\n" +
			"A [-u]\n" +
			"A [foo]\n" +
			"A [bar]\n" +
			"A [baz]\n",
	},
	{
		name: "double dash ends options", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "a", "-t", "--", "-u", "b"},
		want: "R opt=116 arg=NULL longind=-1 optopt=0 optind=3\n" +
			"END optind=3\n" +
			"A [netstat]\n" +
			"A [-t]\n" +
			"A [--]\n" +
			"A [a]\n" +
			"A [-u]\n" +
			"A [b]\n",
	},
	{
		name: "lone dash is positional", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "-", "-t", "-"},
		want: "R opt=116 arg=NULL longind=-1 optopt=0 optind=3\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [-t]\n" +
			"A [-]\n" +
			"A [-]\n",
	},
	{
		name: "POSIXLY_CORRECT stops at the first non-option", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: true,
		argv: []string{"netstat", "-t", "foo", "-Q"},
		want: "R opt=116 arg=NULL longind=-1 optopt=0 optind=2\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [-t]\n" +
			"A [foo]\n" +
			"A [-Q]\n",
	},
	{
		name: "POSIXLY_CORRECT stops at a lone dash", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: true,
		argv: []string{"netstat", "-", "-Q"},
		want: "END optind=1\n" +
			"A [netstat]\n" +
			"A [-]\n" +
			"A [-Q]\n",
	},
	{
		name: "empty argument is positional", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "", "-n"},
		want: "R opt=110 arg=NULL longind=-1 optopt=0 optind=3\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [-n]\n" +
			"A []\n",
	},
	{
		name: "protocol with equals and separate", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "--protocol=inet", "--protocol", "unix", "--prot=", "--pro", "-x"},
		want: "R opt=65 arg=[inet] longind=18 optopt=0 optind=2\n" +
			"R opt=65 arg=[unix] longind=18 optopt=0 optind=4\n" +
			"R opt=65 arg=[] longind=18 optopt=0 optind=5\n" +
			"netstat: option '--pro' is ambiguous; possibilities: '--protocol' '--programs'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=6\n" +
			"R opt=120 arg=NULL longind=-1 optopt=0 optind=7\n" +
			"END optind=7\n" +
			"A [netstat]\n" +
			"A [--protocol=inet]\n" +
			"A [--protocol]\n" +
			"A [unix]\n" +
			"A [--prot=]\n" +
			"A [--pro]\n" +
			"A [-x]\n",
	},
	{
		name: "protocol missing", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "--protocol"},
		want: "netstat: option '--protocol' requires an argument\n" +
			"R opt=63 arg=NULL longind=-1 optopt=65 optind=2\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [--protocol]\n",
	},
	{
		name: "exact match wins", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "--ip", "--ipx", "--unix", "--inet", "--de"},
		want: "R opt=1 arg=NULL longind=2 optopt=0 optind=2\n" +
			"R opt=1 arg=NULL longind=3 optopt=0 optind=3\n" +
			"R opt=1 arg=NULL longind=10 optopt=0 optind=4\n" +
			"R opt=1 arg=NULL longind=6 optopt=0 optind=5\n" +
			"netstat: unrecognized option '--de'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=6\n" +
			"END optind=6\n" +
			"A [netstat]\n" +
			"A [--ip]\n" +
			"A [--ipx]\n" +
			"A [--unix]\n" +
			"A [--inet]\n" +
			"A [--de]\n",
	},
	{
		name: "family prefixes share a triple", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "--ine", "--x", "--b", "--ap", "--tcpi", "--d"},
		want: "R opt=1 arg=NULL longind=6 optopt=0 optind=2\n" +
			"R opt=1 arg=NULL longind=1 optopt=0 optind=3\n" +
			"R opt=1 arg=NULL longind=11 optopt=0 optind=4\n" +
			"R opt=1 arg=NULL longind=4 optopt=0 optind=5\n" +
			"R opt=1 arg=NULL longind=12 optopt=0 optind=6\n" +
			"R opt=1 arg=NULL longind=8 optopt=0 optind=7\n" +
			"END optind=7\n" +
			"A [netstat]\n" +
			"A [--ine]\n" +
			"A [--x]\n" +
			"A [--b]\n" +
			"A [--ap]\n" +
			"A [--tcpi]\n" +
			"A [--d]\n",
	},
	{
		name: "ambiguous with value", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "--t=5"},
		want: "netstat: option '--t=5' is ambiguous; possibilities: '--tcpip' '--tcp' '--timers'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=2\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [--t=5]\n",
	},
	{
		name: "ambiguous empty name", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "--=foo"},
		want: "netstat: option '--=foo' is ambiguous; possibilities: '--ax25' '--version' '--interfaces' '--help' '--route' '--masquerade' '--protocol' '--tcp' '--sctp' '--udp' '--udplite' '--raw' '--unix' '--l2cap' '--rfcomm' '--listening' '--all' '--timers' '--continuous' '--extend' '--programs' '--verbose' '--statistics' '--wide' '--numeric' '--numeric-hosts' '--numeric-ports' '--numeric-users' '--symbolic' '--cache' '--fib' '--groups' '--context'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=2\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [--=foo]\n",
	},
	{
		name: "ambiguous i", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "--i"},
		want: "netstat: option '--i' is ambiguous; possibilities: '--ip' '--interfaces'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=2\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [--i]\n",
	},
	{
		name: "unrecognized with value", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "--foo=bar", "--econet"},
		want: "netstat: unrecognized option '--foo=bar'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=2\n" +
			"netstat: unrecognized option '--econet'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=3\n" +
			"END optind=3\n" +
			"A [netstat]\n" +
			"A [--foo=bar]\n" +
			"A [--econet]\n",
	},
	{
		name: "no argument allowed uses full name", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "--statis=1", "--ip=3", "--x=", "--tcp="},
		want: "netstat: option '--statistics' doesn't allow an argument\n" +
			"R opt=63 arg=NULL longind=-1 optopt=115 optind=2\n" +
			"netstat: option '--ip' doesn't allow an argument\n" +
			"R opt=63 arg=NULL longind=-1 optopt=1 optind=3\n" +
			"netstat: option '--x25' doesn't allow an argument\n" +
			"R opt=63 arg=NULL longind=-1 optopt=1 optind=4\n" +
			"netstat: option '--tcp' doesn't allow an argument\n" +
			"R opt=63 arg=NULL longind=-1 optopt=116 optind=5\n" +
			"END optind=5\n" +
			"A [netstat]\n" +
			"A [--statis=1]\n" +
			"A [--ip=3]\n" +
			"A [--x=]\n" +
			"A [--tcp=]\n",
	},
	{
		name: "invalid short options", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "-Q:;I-"},
		want: "netstat: invalid option -- 'Q'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=81 optind=1\n" +
			"netstat: invalid option -- ':'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=58 optind=1\n" +
			"netstat: invalid option -- ';'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=59 optind=1\n" +
			"netstat: invalid option -- 'I'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=73 optind=1\n" +
			"netstat: invalid option -- '-'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=45 optind=2\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [-Q:;I-]\n",
	},
	{
		name: "explicit question mark", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"netstat", "-?"},
		want: "R opt=63 arg=NULL longind=-1 optopt=0 optind=2\n" +
			"END optind=2\n" +
			"A [netstat]\n" +
			"A [-?]\n",
	},
	{
		name: "empty program name", table: 0, optstring: "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z", posix: false,
		argv: []string{"", "-Q", "--u"},
		want: ": invalid option -- 'Q'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=81 optind=2\n" +
			": option '--u' is ambiguous; possibilities: '--unix' '--udp' '--udplite' '--unix'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=3\n" +
			"END optind=3\n" +
			"A []\n" +
			"A [-Q]\n" +
			"A [--u]\n",
	},
	{
		name: "optional short argument", table: 1, optstring: "ab:g::", posix: false,
		argv: []string{"p", "-gfoo", "-g", "foo", "-ab", "x", "-bx"},
		want: "R opt=103 arg=[foo] longind=-1 optopt=0 optind=2\n" +
			"R opt=103 arg=NULL longind=-1 optopt=0 optind=3\n" +
			"R opt=97 arg=NULL longind=-1 optopt=0 optind=4\n" +
			"R opt=98 arg=[x] longind=-1 optopt=0 optind=6\n" +
			"R opt=98 arg=[x] longind=-1 optopt=0 optind=7\n" +
			"END optind=6\n" +
			"A [p]\n" +
			"A [-gfoo]\n" +
			"A [-g]\n" +
			"A [-ab]\n" +
			"A [x]\n" +
			"A [-bx]\n" +
			"A [foo]\n",
	},
	{
		name: "optional long argument", table: 1, optstring: "ab:g::", posix: false,
		argv: []string{"p", "--gamma", "x", "--gamma=y", "--gam=", "--debug=1", "--deb"},
		want: "R opt=103 arg=NULL longind=2 optopt=0 optind=2\n" +
			"R opt=103 arg=[y] longind=2 optopt=0 optind=4\n" +
			"R opt=103 arg=[] longind=2 optopt=0 optind=5\n" +
			"R opt=100 arg=[1] longind=5 optopt=0 optind=6\n" +
			"R opt=100 arg=NULL longind=5 optopt=0 optind=7\n" +
			"END optind=6\n" +
			"A [p]\n" +
			"A [--gamma]\n" +
			"A [--gamma=y]\n" +
			"A [--gam=]\n" +
			"A [--debug=1]\n" +
			"A [--deb]\n" +
			"A [x]\n",
	},
	{
		name: "exact short name beats longer names", table: 1, optstring: "ab:g::", posix: false,
		argv: []string{"p", "--de", "--del", "--d"},
		want: "R opt=101 arg=NULL longind=6 optopt=0 optind=2\n" +
			"R opt=97 arg=NULL longind=4 optopt=0 optind=3\n" +
			"p: option '--d' is ambiguous; possibilities: '--delta' '--debug' '--de'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=4\n" +
			"END optind=4\n" +
			"A [p]\n" +
			"A [--de]\n" +
			"A [--del]\n" +
			"A [--d]\n",
	},
	{
		name: "same triple is not ambiguous", table: 1, optstring: "ab:g::", posix: false,
		argv: []string{"p", "--fil", "x", "--f=y", "--al"},
		want: "R opt=102 arg=[x] longind=7 optopt=0 optind=3\n" +
			"R opt=102 arg=[y] longind=7 optopt=0 optind=4\n" +
			"p: option '--al' is ambiguous; possibilities: '--alpha' '--alp'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=5\n" +
			"END optind=5\n" +
			"A [p]\n" +
			"A [--fil]\n" +
			"A [x]\n" +
			"A [--f=y]\n" +
			"A [--al]\n",
	},
	{
		name: "leading plus", table: 1, optstring: "+ab:", posix: false,
		argv: []string{"p", "-a", "x", "-b", "y"},
		want: "R opt=97 arg=NULL longind=-1 optopt=0 optind=2\n" +
			"END optind=2\n" +
			"A [p]\n" +
			"A [-a]\n" +
			"A [x]\n" +
			"A [-b]\n" +
			"A [y]\n",
	},
	{
		name: "leading minus returns non-options", table: 1, optstring: "-ab:", posix: false,
		argv: []string{"p", "x", "-a", "--", "y"},
		want: "R opt=1 arg=[x] longind=-1 optopt=0 optind=2\n" +
			"R opt=97 arg=NULL longind=-1 optopt=0 optind=3\n" +
			"END optind=4\n" +
			"A [p]\n" +
			"A [x]\n" +
			"A [-a]\n" +
			"A [--]\n" +
			"A [y]\n",
	},
	{
		name: "leading colon silences and returns colon", table: 1, optstring: ":ab:", posix: false,
		argv: []string{"p", "-Q", "-b", "--beta", "--zz", "--al"},
		want: "R opt=63 arg=NULL longind=-1 optopt=81 optind=2\n" +
			"R opt=98 arg=[--beta] longind=-1 optopt=81 optind=4\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=5\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=6\n" +
			"END optind=6\n" +
			"A [p]\n" +
			"A [-Q]\n" +
			"A [-b]\n" +
			"A [--beta]\n" +
			"A [--zz]\n" +
			"A [--al]\n",
	},
	{
		name: "W semicolon", table: 1, optstring: "ab:W;", posix: false,
		argv: []string{"p", "-Walpha", "-W", "beta", "v", "-W", "be=1", "-W", "zz", "-W"},
		want: "R opt=97 arg=NULL longind=0 optopt=0 optind=2\n" +
			"R opt=98 arg=[v] longind=1 optopt=0 optind=5\n" +
			"R opt=98 arg=[1] longind=1 optopt=0 optind=7\n" +
			"p: unrecognized option '-W zz'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=9\n" +
			"p: option requires an argument -- 'W'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=87 optind=10\n" +
			"END optind=10\n" +
			"A [p]\n" +
			"A [-Walpha]\n" +
			"A [-W]\n" +
			"A [beta]\n" +
			"A [v]\n" +
			"A [-W]\n" +
			"A [be=1]\n" +
			"A [-W]\n" +
			"A [zz]\n" +
			"A [-W]\n",
	},
	{
		name: "optopt persists", table: 1, optstring: "ab:", posix: false,
		argv: []string{"p", "-Q", "-a", "--zz", "-a"},
		want: "p: invalid option -- 'Q'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=81 optind=2\n" +
			"R opt=97 arg=NULL longind=-1 optopt=81 optind=3\n" +
			"p: unrecognized option '--zz'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=0 optind=4\n" +
			"R opt=97 arg=NULL longind=-1 optopt=0 optind=5\n" +
			"END optind=5\n" +
			"A [p]\n" +
			"A [-Q]\n" +
			"A [-a]\n" +
			"A [--zz]\n" +
			"A [-a]\n",
	},
	{
		name: "high byte option", table: 1, optstring: "ab:", posix: false,
		argv: []string{"p", "-\xe9"},
		want: "p: invalid option -- '\xe9'\n" +
			"R opt=63 arg=NULL longind=-1 optopt=-23 optind=2\n" +
			"END optind=2\n" +
			"A [p]\n" +
			"A [-\xe9]\n",
	},
}
