package winnetstat

import "strings"

// usageLines is the help text: the option set and syntax line of Windows 11's
// `netstat /?`, each option described in our own words, then netstat-go's extensions.
var usageLines = []string{
	"",
	"Displays protocol statistics and current TCP/IP network connections.",
	"",
	"NETSTAT [-a] [-b] [-e] [-f] [-i] [-n] [-o] [-p proto] [-q] [-r] [-s] [-t] [-x] [-y] [interval]",
	"",
	"  -a            Shows every connection and listening port.",
	"  -b            Shows the executable (and service) owning each connection or",
	"                listening port. Needs administrator rights.",
	"  -e            Shows interface statistics. May be combined with -s.",
	"  -f            Shows foreign addresses as fully qualified domain names.",
	"  -i            Time spent in the current TCP state (not supported by netstat-go).",
	"  -n            Shows addresses and ports as numbers.",
	"  -o            Shows the owning process ID of each connection.",
	"  -p proto      Shows connections of proto: TCP, UDP, TCPv6 or UDPv6. With -s,",
	"                statistics of proto: IP, IPv6, ICMP, ICMPv6, TCP, TCPv6, UDP",
	"                or UDPv6.",
	"  -q            Bound non-listening ports (not supported by netstat-go).",
	"  -r            Shows the routing table.",
	"  -s            Shows per-protocol statistics (IP, IPv6, ICMP, ICMPv6, TCP,",
	"                TCPv6, UDP and UDPv6 unless -p names one).",
	"  -t            Connection offload state (not supported by netstat-go).",
	"  -x            NetworkDirect connections (not supported by netstat-go).",
	"  -y            TCP connection templates; only alone (not supported by",
	"                netstat-go).",
	"  interval      Shows the selected output again every interval seconds until",
	"                CTRL+C is pressed.",
	"",
	"netstat-go's own options:",
	"  --filter EXPR Shows only the connections the ss-style expression matches,",
	"                e.g. --filter \"state established and dport = :443\".",
	"  --count KEYS  Counts connections grouped by KEYS (state, proto, laddr, lport,",
	"                raddr, rport, pid), largest groups first.",
	"  --json        Prints the connection listing as JSON.",
	"  states        (netstat states) Counts TCP connections per Windows state.",
	"",
}

// Usage returns the help text with Windows line ends.
func Usage() string {
	return strings.Join(usageLines, crlf)
}
