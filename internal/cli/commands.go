package cli

// Command is a netstat-go subcommand that lives in a package of its own: cmd/netstat
// dispatches it on the first argument before this parser runs. cli lists it in
// `netstat help` and in the completion scripts; cmd/netstat's tests check this table
// against its dispatch table and the packages' own lists of words.
type Command struct {
	Name  string
	Usage string // the arguments after the name, as help shows them
	Help  string // one line
	// Words are what completion offers as the first argument (reports, recipes).
	Words []string
	// Files makes completion offer file names after the first argument (logs, pcaps).
	Files bool
}

// Commands are the subcommands of other packages, in the order help lists them.
var Commands = []Command{
	{Name: "top", Usage: "[OPTIONS]", Help: "a live table of sockets (TCPView); x closes one"},
	{Name: "close", Usage: "[-y] FILTER", Help: "closes the TCP connections FILTER selects (ss -K)"},
	{Name: "serve", Usage: "[FLAGS]", Help: "a Prometheus exporter: states, queues, peers, -s"},
	{Name: "weblog", Usage: "REPORT [FILE...]", Help: "the access-log recipes in one pass",
		Words: []string{"top-ips", "top-urls", "largest", "big", "slowest", "slow", "traffic", "status-list", "status", "domains", "crawlers", "report"},
		Files: true},
	{Name: "sniff", Usage: "RECIPE [OPTIONS]", Help: "the capture recipes (who hits a port, crawlers, SQL)",
		Words: []string{"top-sources", "crawlers", "mysql"},
		Files: true},
}
