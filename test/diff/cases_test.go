//go:build linux

package diff

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The case tables follow spec §13 (row numbers in comments) and add breadth. Each
// top-level test owns one namespace and runs in parallel with the others.

func runAll(t *testing.T, n *netns, cases ...[]tc) {
	t.Helper()
	for _, c := range slices.Concat(cases...) {
		n.check(t, c)
	}
}

// TestPrivilegedCommandLine covers options that do not depend on the socket
// population: version/usage, getopt errors, abbreviations, exclusive modes, unknown
// families, positional arguments (§13 rows 1-17 and 34), run in an F1 namespace.
func TestPrivilegedCommandLine(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureF1(t, s, "cli")
	runAll(t, n,
		// 1, 2, 3: version and usage.
		cs("-V", "--version", "--vers", "-V -t", "-tV",
			"-h", "--help -t", "-t -h", "--help", "--he", "-h -V", "-?", "-t -?", "-?h"),
		// 4: argv[0] verbatim in getopt errors.
		cs("-Q", "-Q -V", "-tQ"),
		[]tc{
			{args: []string{"-Q"}, fullPath: true},
			{args: []string{"--foo"}, fullPath: true},
			{args: []string{"-Q"}, argv0: strp("")},
			{args: []string{"-A"}, argv0: strp("my netstat")},
			{args: []string{"--t"}, argv0: strp("./rel/netstat")},
			{args: []string{"-h"}, argv0: strp("other-name")},
		},
		// 5: the first terminating option wins.
		cs("-V -Q", "-hV", "-Vh", "-Q -h", "-Z -V", "-V -Z", "-A foo -V", "-V -A foo"),
		// 6, 7, 8: unrecognized options, missing and unwanted arguments.
		cs("--foo", "--foo=bar", "--econet", "--notrim", "--ash", "--ec", "--=x", "---t",
			"-A -t", "-A --", "--inet6=x", "--ip=1", "--", "---", "-c5", "-5", "-tnQ", "-tulpnZ", "-hZ", "-e -h",
			"--help=", "--version=1",
			"-A", "--protocol", "--prot", "-tA", "-t -A",
			"--tcp=foo", "--statis=1", "--x25=3", "--numeric-hosts=1", "--help=x", "--vers=",
			"--protocol=inet -n", "--protocol inet6 -n", "--proto=unix -l", "-Ainet -n", "-tAinet6 -n"),
		// 9: ambiguous prefixes.
		cs("--num", "--in", "--u", "--a", "--t", "--r", "--c", "--p", "--v", "--l", "--tc",
			"--ro", "--n", "--s", "--i", "--co", "--numeric-", "--ne", "--un", "--ud"),
		// 11: unknown address families.
		[]tc{
			{args: []string{"-A", "foo"}}, {args: []string{"-A", "inet,foo"}},
			{args: []string{"--protocol="}}, {args: []string{"-A", ""}}, {args: []string{"-At"}},
			{args: []string{"-A", "inet,,inet6"}}, {args: []string{"-A", "INET"}},
			{args: []string{"-A", "inet,"}}, {args: []string{"-A", ",inet"}},
			{args: []string{"-4", "-A", "nope", "-Q"}},
		},
		// 12: family list overflow (53 x -4, then -n), also with long families.
		[]tc{
			{name: "53x-4 -n", args: append(slices.Repeat([]string{"-4"}, 53), "-n")},
			{name: "60x--inet6 -tn", args: append(slices.Repeat([]string{"--inet6"}, 60), "-tn")},
			{name: "-A long list -n", args: []string{"-A", strings.Repeat("inet,inet6,", 30) + "unix", "-n"}},
		},
		// 13: more than one of -r -i -s -M.
		cs("-rr", "-ii", "-ss", "-MM", "-ri", "-rs", "-is", "-r -M", "-i -s -r", "--route --rou",
			"-sM", "-gr -i"),
		// 14: SELinux.
		cs("-Z", "-h -Z", "-Z -h", "--context", "-tZ", "--cont", "-rZ"),
		// 15: options absent in 2.10.
		cs("-I", "-Ieth0", "-T", "-I=eth0", "--interfaces=eth0", "-y", "-1"),
		// 16: --tcpip quirk.
		cs("--tcpip -n", "--tcpi -n", "-A tcpip -n", "--tcpip --tcpip -tn"),
		// 17: positional arguments, permutation, --, POSIXLY_CORRECT.
		cs("foo", "-t foo bar", "-- -t", "-t -- -u", "- -t", "-tn -", "foo -tn bar -x"),
		[]tc{
			{args: []string{"foo", "-Q"}, env: []string{"POSIXLY_CORRECT=1"}},
			{args: []string{"-t", "foo", "-u"}, env: []string{"POSIXLY_CORRECT=1"}},
			{args: []string{"-tn", "--", "-x"}, env: []string{"POSIXLY_CORRECT=1"}},
		},
		// 34: SCTP is missing on this kernel.
		cs("--sctp", "-S -n -a", "-Stu -an", "-S -l", "-tS -n", "-A inet -S -n", "-S -4 -n", "-6 --sctp", "-S -6 -g -n", "-S -A inet6,unix -n", "-S -46 -n"),
		// 10: unambiguous prefixes.
		cs("--ine -n", "--w -a", "--prog -ln", "--numeric-h -t", "--lis --numeric-p", "--e -t -n",
			"--x", "--all --tim -n", "--verb -t", "--raw -an"),
	)
}

// TestPrivilegedSocketsF1 is the basic population (§13 rows 19-24, 51).
func TestPrivilegedSocketsF1(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureF1(t, s, "f1")
	runAll(t, n,
		// 19: default filters, names.
		cs("", "-n", "-a", "-an", "-l", "-ln", "--all --numeric", "--listening"),
		// 20: user and inode columns.
		cs("-ae", "-aee", "-anee", "-ae --numeric-users", "-le", "-e", "-eee -a"),
		// 21: PID/Program and timers.
		cs("-ap", "-tulpn", "-aeop", "-ao", "-p", "-lp", "-anpo", "-aoe", "-ln -o"),
		// 22: families.
		cs("-4 -n", "-6 -n", "-4 -6 -n", "--inet -n", "--inet6 -an", "--ip -n", "-A ip6 -an",
			"-A inet,unix -n", "-6 -4 -an", "-A inet6,inet -ln", "-4 -x -a", "--unix --inet -a",
			"-A tcpip,ip6 -ln", "-4 -4 -an"),
		// 23: protocol selection and ordering.
		cs("-x", "--unix -l", "-xa", "-tx -n", "-t6 -an", "-u4 -an", "-w -an", "--raw -6 -an",
			"-U -an", "--udplite -4 -a -n", "-ut -ln", "-tuwUx -a", "-wU -l", "-utx -ap", "-xx -l",
			"-tt -n", "--tcp --udp -a", "-a --inet6 --unix"),
		// 24: -W with short names.
		cs("-W", "-aW", "-aWn", "-lWe"),
		// Numeric variants.
		cs("-a --numeric-hosts", "-a --numeric-ports", "-a --numeric-hosts --numeric-ports",
			"-aN", "-aN -e", "-l --numeric-users -e", "-lnN", "-d -a"),
		// Verbose and legacy families in the default listing.
		cs("-v", "-av", "-v -n -t", "-xv", "-6 -v"),
		// Groups mixed with the listing.
		cs("-g", "-g -t -n", "-g -x", "-ga -4", "-g -6 -n"),
		// Non-root: every socket belongs to root.
		with(cs("-ap", "-lntp", "-xp", "-tp -W", "-ae", "-p -4"), asUID(65534)),
		with(cs("-ap"), asUID(4242)),
		// 51: continuous listing.
		with(cs("-c -n -t", "-cp -x", "-c -a -n -e -o"), continuous),
		// Interfaces and statistics with this population (quiescent after setup).
		cs("-i", "-s", "-s -6", "-st"),
	)
}

// TestPrivilegedSocketsF2 is the truncation population (§13 row 25).
func TestPrivilegedSocketsF2(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureF2(t, s)
	runAll(t, n,
		cs("-a", "-aW", "-an", "-anW", "-at --numeric-hosts", "-at --numeric-ports", "-ax",
			"-at --numeric-hosts -W", "-at --numeric-ports -W", "-6 -a", "-6 -an", "-6 -aW", "-4 -a",
			"-ae", "-aeW", "-aep", "-ao", "-l", "-lW", "-lnW", "-u -a", "-u -aW", "-x", "-xa -p",
			"--wide --all --extend", "-tan -W -e"),
	)
}

// TestPrivilegedSocketsF3 is every TCP state (§13 rows 26, 27). TIME_WAIT and the
// orphaned FIN_WAIT2 last 60 s from the setup, so the fixture is rebuilt in a fresh
// namespace whenever it gets older than f3MaxAge (only on a slow host).
func TestPrivilegedSocketsF3(t *testing.T) {
	s := need(t)
	t.Parallel()
	var n *netns
	var born time.Time
	for i, c := range cs("-an", "-anp", "-ant -l", "-anoe", "-a", "-ant", "-t", "-tn", "-tno", "-anW", "-aw",
		"-ax", "-xn", "-aep", "-ano -4") {
		if n == nil || time.Since(born) > f3MaxAge {
			n, born = fixtureF3(t, s, fmt.Sprintf("f3g%d", i)), time.Now()
		}
		n.check(t, c)
	}
}

// f3MaxAge is how long F3's timed states are trusted to be still there.
const f3MaxAge = 40 * time.Second

// TestPrivilegedSocketsF8 covers processes, users, services (§13 rows 28-32).
func TestPrivilegedSocketsF8(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureF8(t, s)
	runAll(t, n,
		// 28: user names, program-name edge cases, CONNECTING Unix sockets.
		cs("-lntpe", "-ltpe", "-lxpe", "-xap", "-ae", "-aen", "-ap", "-anp", "-lnp -W", "-xa",
			"-x", "-lx", "-ape --numeric-users", "-lp --numeric-hosts"),
		// 29: long service names and duplicate services/protocols.
		with(cs("-lt", "-lt --numeric-hosts", "-ltW", "-ltw --numeric-hosts", "-a", "-aW", "-lw",
			"-lw -n", "-law --numeric-hosts", "-lW", "-lu", "-luW --numeric-hosts", "-lwW"), altDB),
		// 30: 127.0.0.0 is a host lookup; ports without names.
		cs("-at", "-t", "-tn", "-l -t", "-lt --numeric-ports"),
		// 31: -p as other users.
		with(cs("-lntp", "-xap", "-ap"), asUID(65534)),
		with(cs("-lntp", "-ap"), asUID(4242)),
		with(cs("-lntp", "-lntpe"), asUID(998)),
		with(cs("-lntp"), asUID(12345)),
		// 32: a listener shared with a forked child (lowest PID wins); -r header only.
		cs("-lntp", "-tp -l -W", "-rn", "-r", "-rC"),
		with(cs("-c -lntp", "-cxp"), continuous),
	)
}

// TestPrivilegedSocketsMixed is a larger population with queues in every protocol,
// UDP-Lite/raw variants, Unix sockets of every type, and more processes and users.
func TestPrivilegedSocketsMixed(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureMixed(t, s)
	runAll(t, n,
		cs("", "-a", "-an", "-anW", "-ae", "-aee", "-aep", "-anp", "-ao", "-anoe", "-l", "-ln", "-lnp",
			"-x", "-xa", "-xap", "-axn", "-ta", "-ua", "-ua -n", "-Ua", "-Uan -W", "-wa", "-wan",
			"-6 -a", "-4 -a", "-6 -an -W", "-a --numeric-ports", "-a --numeric-hosts", "-ae --numeric-users",
			"-aN", "-tuwUx -a", "-A inet6,unix -a", "-lx", "-lu", "-lw -6", "-tl -e -p", "-ut -n",
			"-t", "-u", "-w", "-U", "-6", "-4"),
		with(cs("-ap", "-xp", "-lnp", "-aep"), asUID(65534)),
		with(cs("-ap"), asUID(4244)),
		with(cs("-c -an"), continuous),
		cs("-i", "-ia", "-s", "-s -6", "-su", "-sw", "-st"),
	)
}

// TestPrivilegedEmpty is F0/F6: a fresh namespace with loopback down (§13 rows 12,
// 18, 33, 35, 36, 42, 45, 47, 53).
func TestPrivilegedEmpty(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureEmpty(t, s)
	runAll(t, n,
		// 18: bare headers and title suffixes.
		cs("", "-a", "-l", "-ae", "-lp", "-ao", "-x", "-t", "-n", "-aW", "-aeop"),
		// 12.
		[]tc{{name: "53x-4 -n", args: append(slices.Repeat([]string{"-4"}, 53), "-n")}},
		// 33: verbose.
		cs("-v", "-4 -v", "-v -n -t", "-6 -v", "-x -v", "-vv", "-v -A inet", "-v -S", "-u -v"),
		// 35: legacy and non-counted families.
		cs("--ipx", "--ax25", "--x25", "--netrom", "--rose", "-2", "-f", "--bluetooth", "--ddp",
			"--appletalk", "-A econet", "-A ash", "-x --ipx -a", "--l2cap", "--rfcomm", "-A bluetooth",
			"-t -2 -n", "-A ddp -t", "--ipx --ax25", "-2 -f", "-A appletalk,inet -n", "-x -A econet"),
		// 36: masquerade.
		cs("-M", "-Mc", "-M -n -e", "--masq", "-M -v"),
		// 42: empty route file.
		cs("-rn", "-rC", "-r", "-re", "-r -6", "-rF -C"),
		// 45: down loopback.
		cs("-i", "-ia", "-iae", "-ie", "-iea -n", "-iv"),
		// 47: zero statistics.
		cs("-s", "-s -6", "-sc", "-st", "-su", "-sw", "-s -6 -u", "-s -x", "--statistics --raw"),
		// 46 with no groups.
		cs("-g", "-gn -4", "-g -6"),
		// 53: an error ends -c immediately.
		cs("-c --ipx", "-rc", "-c -S", "-c -2"),
		with(cs("-c -t", "-c -v -t"), continuous),
	)
}

// TestPrivilegedRoutesF4 covers -r (§13 rows 37-41, 52).
func TestPrivilegedRoutesF4(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureF4(t, s)
	netromMask := mask{regexp.MustCompile(`(?m)^(/proc/net/nr_neigh: ).*$`), "${1}<strerror>"}
	runAll(t, n,
		// 37: IPv4 FIB layouts.
		cs("-r", "-rn", "-re", "-rne", "-ree", "-rnee", "-reee", "-reeee", "-reeeee", "-rN", "-rv",
			"-r --numeric-hosts", "-r --numeric-ports", "-r --numeric-users", "-rt", "-g -r", "-rW",
			"-ra", "-rp", "-ro", "-rl", "--route -n", "--rou --ext", "-r -A inet", "-r --inet -e",
			"-rNe", "-r -x -4"),
		// 38: cache.
		cs("-rC", "-rCn", "-rCe", "-rCee", "-rF -C -n", "-rCeee", "-rFe", "-rF"),
		// 39: IPv6 and family order.
		cs("-r -A inet6", "-rn6", "-r -6 -C", "-r -6 -C -F -n", "-r -4 -6 -n", "-r -6 -4 -n",
			"-r -4 -4 -n", "-r6", "-r6e", "-r -6 -N", "-r -6 -ee", "--inet6 -r -n -v", "-r -A inet6,inet"),
		// 40: routing family errors.
		[]tc{
			{args: []string{"-r", "-A", "unix"}}, {args: []string{"-rx"}},
			{args: []string{"-r", "-A", "econet"}}, {args: []string{"-r", "-A", "ash"}},
			{args: []string{"-r", "-A", "bluetooth"}}, {args: []string{"-r", "-A", "inet,unix", "-n"}},
			{args: []string{"-r", "-A", "unix,inet", "-n"}}, {args: []string{"-r", "-A", "inet,,inet6", "-n"}},
			{args: []string{"-r", "-A", "inet6,bluetooth", "-n"}}, {args: []string{"-r", "--bluetooth"}},
			{args: []string{"-r", "-6", "-x", "-n"}},
		},
		// 41: other families (the second nr_neigh strerror is an errno artefact).
		cs("-r -A ipx", "-r -A ax25", "-r -A ddp", "-r -A rose", "-r -A x25", "-r -A appletalk",
			"-r --ipx -n", "-r -A inet,x25 -n", "-r -A x25,inet -n"),
		[]tc{{args: []string{"-r", "-A", "netrom"}, masks: []mask{netromMask}}},
		// 52: continuous routes.
		with(cs("-c -r -n", "-rc -6 -n", "-rcC -n"), continuous),
	)
}

// TestPrivilegedInterfacesF5 covers -i and -g (§13 rows 43, 44, 46, 52).
func TestPrivilegedInterfacesF5(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureF5(t, s)
	runAll(t, n,
		// 43, 44: short and long tables.
		cs("-i", "-ia", "-in", "-iv", "-i --inet6", "-ie", "-iea", "-iee", "-ieee -a", "-iN", "-iW",
			"-i -x", "-i -t", "-ip", "-io", "-ia -n", "--interfaces", "--interfaces --all --extend",
			"-i -A inet6", "-ial"),
		// 46: multicast groups.
		cs("-g", "-gn", "-g -4", "-g -6 -n", "-g -t -n", "-g -x", "-gg -n", "-g -v -n", "--groups",
			"-g -A inet", "-g -W", "-ga", "-g -u -6", "-g --numeric-hosts"),
		// 52: continuous interfaces.
		with(cs("-ic", "-iec"), continuous),
		// Routes and statistics of this population.
		cs("-rn", "-r", "-rn6", "-s", "-s -6"),
	)
}

// TestPrivilegedStatsF7 covers -s after real loopback traffic (§13 rows 48-50).
func TestPrivilegedStatsF7(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureF7(t, s)
	runAll(t, n,
		// 48.
		cs("-s", "-st", "-su", "-sw", "-sU", "-sS", "-s -4 -t -u", "-s -A ip", "--stat", "-s -A inet",
			"-s --inet", "-s -tu", "-s -w -t", "-s -e -n -v", "-sa", "-s --tcp --raw", "-s -4",
			"--statistics --numeric"),
		// 49.
		cs("-s -6", "-s -6 -t", "-s -6 -u", "-s -6 -w", "-s -A inet6", "-s --inet6 -U", "-s -6 -S",
			"-s -A ip6 -tw", "-s6"),
		// 50.
		cs("-s -x", "-s -4 -6", "-s -A inet6,inet", "-s --unix", "-s -4 -4", "-s --ipx", "-s -A ax25",
			"-s -6 -6", "-s --bluetooth", "-s -A econet"),
		cs("-sc", "-s -c -6"),
	)
}

// TestPrivilegedSocketsEdge covers the "edge" population: SO_REUSEPORT groups,
// descriptors in flight, 7-digit queues, IPv6 compression, raw Unix names, a
// retransmitting connection, sockets owned from another namespace, long and odd
// argv[0], a uid above 2^31.
func TestPrivilegedSocketsEdge(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureEdge(t, s)
	runAll(t, n,
		cs("", "-a", "-an", "-anp", "-ap", "-anW", "-aW", "-ae", "-aen", "-anoe", "-ao", "-x", "-xa",
			"-xap", "-ln", "-lnp", "-lnpe", "-lnW", "-l", "-6 -an", "-6 -a", "-6 -anW", "-6 -aW -e", "-tn",
			"-tno", "-u -an", "-ua", "-uaW", "-lx", "-lxp", "-t -a --numeric-ports", "-t -a --numeric-hosts",
			"-4 -ln"),
		with(cs("-lntp", "-ap"), asUID(4000000000)),
		with(cs("-c -an"), continuous),
	)
}

// TestPrivilegedSocketsScale lists a few thousand rows.
func TestPrivilegedSocketsScale(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureScale(t, s)
	runAll(t, n,
		cs("-an", "-a", "-anp", "-ae", "-xa", "-xap", "-tn", "-6 -an", "-ua -n", "-l", "-ln", "-anW -e"),
	)
}

// TestPrivilegedInterfacesMore is a second -i/-g/-r population.
func TestPrivilegedInterfacesMore(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureIfaces(t, s)
	runAll(t, n,
		cs("-i", "-ia", "-ie", "-iea", "-in", "-iee -a", "-g", "-gn", "-ga", "-g -6", "-g -4 -n",
			"-g -6 -n --numeric-hosts", "-r", "-rn", "-rne", "-rn6", "-r6", "-s", "-s -6"),
		with(cs("-ic"), continuous),
	)
}

// TestPrivilegedStatsMore is a second -s population (overflow, UDP-Lite, fragments,
// resets, unknown protocol, bad checksum).
func TestPrivilegedStatsMore(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureTraffic2(t, s)
	runAll(t, n,
		cs("-s", "-s -6", "-st", "-su", "-sw", "-sU", "-s -6 -u", "-s -6 -w", "-s -6 -t", "-s -A inet -w",
			"-i", "-ie"),
	)
}

// TestPrivilegedSocketsNames covers host names at and past net-tools' 128-byte
// buffers (IPv4 names cut to 127 bytes, "H:P" cut to 127 with -W, IPv6 names of 128
// bytes or more fall back to numeric) and canonical names with aliases.
func TestPrivilegedSocketsNames(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureNames(t, s)
	runAll(t, n,
		cs("-a", "-aW", "-an", "-anW", "-ae", "-aW --numeric-ports", "-at --numeric-ports -W",
			"-at --numeric-hosts -W", "-6 -a", "-6 -aW", "-4 -aW", "-u -a", "-u -aW", "-l", "-lW",
			"-r -6", "-r -6 -W"),
	)
}

// TestPrivilegedSocketsQuirks covers the rows where inet_diag and /proc part (issue 9):
// bound but inactive TCP sockets (never listed), listener Send-Q after connect
// attempts, SYN_RECV expiry counts behind TCP_DEFER_ACCEPT (-o), and the owner of
// request sockets when listeners bound to different devices share a port (-e).
func TestPrivilegedSocketsQuirks(t *testing.T) {
	s := need(t)
	t.Parallel()
	n := fixtureQuirks(t, s)
	runAll(t, n,
		cs("-tan", "-tln", "-an", "-a", "-l", "-tan -6", "-tl -4", "-t", "-ae", "-tanee", "-tlne",
			"-tano", "-tanoe", "-ao", "-t -o -n", "-4 -ano", "-6 -ano", "-tanpe", "-anW"),
		with(cs("-tan", "-tanoe"), asUID(1001)),
	)
}
