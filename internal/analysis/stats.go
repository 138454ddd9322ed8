package analysis

// StatSwitches are the protocol switches of netstat -s. Without any of -t -S -u -U -w all
// are on; otherwise only the given ones. -U (UDP-Lite) selects no table.
type StatSwitches struct {
	Raw  bool // -w: Ip, Icmp, Ip6, Icmp6
	TCP  bool // -t: Tcp, TcpExt, Tcp6
	UDP  bool // -u: Udp, Udp6
	SCTP bool // -S: Sctp (IPv4 report only)
}
