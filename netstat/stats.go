package netstat

// Counter is one named kernel statistics counter, such as "InReceives" of /proc/net/snmp
// or "Ip6InReceives" of /proc/net/snmp6. Values are unsigned 64-bit, as net-tools reads
// them (a kernel "-1" is 18446744073709551615).
type Counter struct {
	Name  string
	Value uint64
}

// CounterSection is a titled group of counters ("Ip", "TcpExt", "Icmp6", ...), with the
// counters in kernel order. Names nobody recognises are kept: net-tools prints them.
type CounterSection struct {
	Title    string
	Counters []Counter
}
