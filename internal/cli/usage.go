package cli

// Usage and version texts of net-tools 2.10 netstat, byte for byte as printed by
// /usr/bin/netstat in the C locale (captured with
// `LC_ALL=C netstat -h >usage.out 2>aflist.out` and `LC_ALL=C netstat -V`).

// usageText is the usage block (netstat.c usage()): on stdout for -h/--help, on
// stderr for usage errors. 1732 bytes, md5 f275ab31199519e62f786dc935ef77b4.
const usageText = `usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}
       netstat [-vWnNcaeol] [<Socket> ...]
       netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }

        -r, --route              display routing table
        -i, --interfaces         display interface table
        -g, --groups             display multicast group memberships
        -s, --statistics         display networking statistics (like SNMP)
        -M, --masquerade         display masqueraded connections

        -v, --verbose            be verbose
        -W, --wide               don't truncate IP addresses
        -n, --numeric            don't resolve names
        --numeric-hosts          don't resolve host names
        --numeric-ports          don't resolve port names
        --numeric-users          don't resolve user names
        -N, --symbolic           resolve hardware names
        -e, --extend             display other/more information
        -p, --programs           display PID/Program name for sockets
        -o, --timers             display timers
        -c, --continuous         continuous listing

        -l, --listening          display listening server sockets
        -a, --all                display all sockets (default: connected)
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB
        -Z, --context            display SELinux security context for sockets

  <Socket>={-t|--tcp} {-u|--udp} {-U|--udplite} {-S|--sctp} {-w|--raw}
           {-x|--unix} --ax25 --ipx --netrom
  <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
`

// afListText is the list of address families that support routing (lib/af.c
// print_aflist(1)), always written to stderr right after usageText: every family
// with a route printer, in aftypes order, as "name (title) ", three per line, each
// line starting with four spaces.
const afListText = "    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) \n" +
	"    netrom (AMPR NET/ROM) rose (AMPR ROSE) ipx (Novell IPX) \n" +
	"    ddp (Appletalk DDP) x25 (CCITT X.25) \n"

// versionText is what -V/--version prints on stdout (Release, Signature, Features).
// Note the two spaces after "HW:" and the trailing space after "+EUI64".
const versionText = "net-tools 2.10\n" +
	"Fred Baumgarten, Alan Cox, Bernd Eckenfels, Phil Blundell, Tuan Hoang, Brian Micek and others\n" +
	"+NEW_ADDRT +RTF_IRTT +RTF_REJECT +FW_MASQUERADE +I18N +SELINUX\n" +
	"AF: (inet) +UNIX +INET +INET6 +IPX +AX25 +NETROM +X25 +ATALK +ECONET +ROSE -BLUETOOTH\n" +
	"HW:  +ETHER +ARC +SLIP +PPP +TUNNEL -TR +AX25 +NETROM +X25 +FR +ROSE +ASH +SIT +FDDI +HIPPI +HDLC/LAPB +EUI64 \n"
