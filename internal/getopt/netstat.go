package getopt

// NetstatShortOptions is the short-option string net-tools 2.10 netstat passes to
// getopt_long. Only -A takes an argument.
const NetstatShortOptions = "A:CFMacdeghilnNoprsStuUvVWw2fx64?Z"

// Vals of netstat's long options that have no short equivalent.
const (
	// NetstatFamilyVal is returned by the address-family long options (indexes 0
	// to NetstatFamilyOptions-1, and --tcpip); they are told apart by LongIndex.
	NetstatFamilyVal   = 1
	NetstatNumericHost = '!' // --numeric-hosts
	NetstatNumericPort = '@' // --numeric-ports
	NetstatNumericUser = '#' // --numeric-users
)

// NetstatFamilyOptions is net-tools' AFTRANS_CNT: the long options with index below
// it are address-family keywords. The family option at this index (--tcpip) is out
// of range for netstat, which reports an internal error for it.
const NetstatFamilyOptions = 12

// NetstatLongOptions returns net-tools 2.10 netstat's long-option table, in its exact
// order (the order decides abbreviations and the text of ambiguity errors). The
// first 13 entries are lib/af.c's AFTRANS_OPTS; "unix" appears twice, once as a
// family keyword and once as -x. Each call returns a new slice.
func NetstatLongOptions() []Option {
	return []Option{
		{"ax25", NoArgument, NetstatFamilyVal},
		{"x25", NoArgument, NetstatFamilyVal},
		{"ip", NoArgument, NetstatFamilyVal},
		{"ipx", NoArgument, NetstatFamilyVal},
		{"appletalk", NoArgument, NetstatFamilyVal},
		{"netrom", NoArgument, NetstatFamilyVal},
		{"inet", NoArgument, NetstatFamilyVal},
		{"inet6", NoArgument, NetstatFamilyVal},
		{"ddp", NoArgument, NetstatFamilyVal},
		{"rose", NoArgument, NetstatFamilyVal},
		{"unix", NoArgument, NetstatFamilyVal},
		{"bluetooth", NoArgument, NetstatFamilyVal},
		{"tcpip", NoArgument, NetstatFamilyVal},
		{"version", NoArgument, 'V'},
		{"interfaces", NoArgument, 'i'},
		{"help", NoArgument, 'h'},
		{"route", NoArgument, 'r'},
		{"masquerade", NoArgument, 'M'},
		{"protocol", RequiredArgument, 'A'},
		{"tcp", NoArgument, 't'},
		{"sctp", NoArgument, 'S'},
		{"udp", NoArgument, 'u'},
		{"udplite", NoArgument, 'U'},
		{"raw", NoArgument, 'w'},
		{"unix", NoArgument, 'x'},
		{"l2cap", NoArgument, '2'},
		{"rfcomm", NoArgument, 'f'},
		{"listening", NoArgument, 'l'},
		{"all", NoArgument, 'a'},
		{"timers", NoArgument, 'o'},
		{"continuous", NoArgument, 'c'},
		{"extend", NoArgument, 'e'},
		{"programs", NoArgument, 'p'},
		{"verbose", NoArgument, 'v'},
		{"statistics", NoArgument, 's'},
		{"wide", NoArgument, 'W'},
		{"numeric", NoArgument, 'n'},
		{"numeric-hosts", NoArgument, NetstatNumericHost},
		{"numeric-ports", NoArgument, NetstatNumericPort},
		{"numeric-users", NoArgument, NetstatNumericUser},
		{"symbolic", NoArgument, 'N'},
		{"cache", NoArgument, 'C'},
		{"fib", NoArgument, 'F'},
		{"groups", NoArgument, 'g'},
		{"context", NoArgument, 'Z'},
	}
}
