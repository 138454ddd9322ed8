package cli

import (
	"fmt"
	"strings"
)

// extHelp is `netstat help`: netstat-go's own options and subcommands. net-tools'
// --help stays byte for byte its own, so the additions are listed here instead. The
// subcommands of other packages come from Commands.
func extHelp() string {
	var b strings.Builder
	b.WriteString(extHelpHead)
	for _, c := range Commands {
		fmt.Fprintf(&b, "  %-24s %s\n", c.Name+" "+c.Usage, c.Help)
	}
	fmt.Fprintf(&b, "%27s(the last %d: netstat NAME --help)\n", "", len(Commands))
	b.WriteString(extHelpTail)
	return b.String()
}

const extHelpHead = `netstat-go: net-tools 2.10's netstat (see netstat --help), plus:

Output
  --format=text|json|csv   JSON: one document per run (JSON Lines with -c);
                           CSV: one table per run; --json is --format=json
                           (docs/json.md, docs/csv.md)

Filters (Internet sockets; all given must hold)
  --state=LIST             TCP states, ss or netstat spelling (time-wait,
                           SYN_RECV) or groups (connected, bucket, big, all)
  --filter EXPR            ss's filter language: sport/dport OP :PORT,
                           src/dst ADDR[/LEN][:PORT] or host name, state NAME,
                           exclude NAME, and, or, not, ( )
  --process=NAME|PID       sockets of that program or process
  --user=NAME|UID          sockets of that user

Counts (instead of rows)
  --count=KEY[,KEY...]     sockets per group, as sort | uniq -c | sort -rn;
                           keys: state proto laddr lport raddr rport program
                           pid user
  --top=N                  the N largest groups

Subcommands (first argument)
  states [STATE...]        the TCP states explained, and the sockets per state
                           now; --json or --format=csv for the counts
  help                     this text
  completion bash|zsh|fish the shell completion script (see netstat-go(8))
`

// extHelpTail follows the subcommands of Commands.
const extHelpTail = `
Environment
  NETSTAT_GO_SOURCE=proc   read the /proc/net files instead of netlink
  NETSTAT_GO_CPUPROFILE=F  write a pprof CPU profile to F

Examples
  netstat -tn --count=state
  netstat -tn --state=syn-recv --count=raddr --top=20
  netstat -ntlp --filter 'sport = :443'
  netstat -tan --json
`
