package netstat

import "net/netip"

// IfaceFlags are the 16 interface flags of SIOCGIFFLAGS (struct ifreq's ifr_flags).
// The kernel's wider flags (IFF_LOWER_UP, IFF_DORMANT, IFF_ECHO) are not part of
// them, so net-tools never sees them.
type IfaceFlags uint16

// Interface flags (IFF_*), in bit order.
const (
	IfUp IfaceFlags = 1 << iota
	IfBroadcast
	IfDebug
	IfLoopback
	IfPointToPoint
	IfNoTrailers
	IfRunning
	IfNoARP
	IfPromisc
	IfAllMulti
	IfMaster
	IfSlave
	IfMulticast
	IfPortSel
	IfAutoMedia
	IfDynamic
)

// HWType is a link-layer hardware type (ARPHRD_*), as SIOCGIFHWADDR reports it in
// sa_family.
type HWType uint16

// Hardware types net-tools 2.10 knows by name. Every other value is printed as
// "unspec".
const (
	HWNetROM   HWType = 0
	HWEther    HWType = 1
	HWAX25     HWType = 3
	HWARCnet   HWType = 7
	HWDLCI     HWType = 15
	HWEUI64    HWType = 27
	HWSLIP     HWType = 256
	HWCSLIP    HWType = 257
	HWSLIP6    HWType = 258
	HWCSLIP6   HWType = 259
	HWAdaptive HWType = 264
	HWROSE     HWType = 270
	HWX25      HWType = 271
	HWPPP      HWType = 512
	HWHDLC     HWType = 513
	HWLAPB     HWType = 516
	HWTunnel   HWType = 768
	HWFRAD     HWType = 770
	HWLoopback HWType = 772
	HWFDDI     HWType = 774
	HWSIT      HWType = 776
	HWHIPPI    HWType = 780
	HWAsh      HWType = 781
	HWEconet   HWType = 782
	HWIrDA     HWType = 783
	HWNone     HWType = 0xfffe
)

// IsSLIP reports whether t is one of the serial-line types for which net-tools also
// asks for the outfill and keepalive settings.
func (t HWType) IsSLIP() bool {
	switch t {
	case HWSLIP, HWCSLIP, HWSLIP6, HWCSLIP6, HWAdaptive:
		return true
	}
	return false
}

// IfaceMap is struct ifmap, the device resources SIOCGIFMAP reports.
type IfaceMap struct {
	MemStart, MemEnd uint64
	BaseAddr         uint16
	IRQ, DMA, Port   uint8
}

// IfaceStats are the counters of one /proc/net/dev line. Counters the file's layout
// does not have are zero.
type IfaceStats struct {
	RxBytes, RxPackets, RxErrors, RxDropped, RxFIFO, RxFrame, RxCompressed, RxMulticast  uint64
	TxBytes, TxPackets, TxErrors, TxDropped, TxFIFO, Collisions, TxCarrier, TxCompressed uint64
}

// Inet6Addr is one record of /proc/net/if_inet6 as net-tools scans it.
type Inet6Addr struct {
	// Device is the interface name of the record.
	Device string
	// Addr is the address, or the zero Addr when its text did not parse (inet_pton
	// failed). net-tools then prints the last address it did parse, even one of an
	// earlier interface (a stale local variable), or "[NONE SET]" before any.
	Addr netip.Addr
	// Index is the interface index, PrefixLen the prefix length, Scope the raw
	// scope value (IPV6_ADDR_* scope bits, 0x80 for IPv4-compatible) and Flags the
	// IFA_F_* flags, all as scanned (%x).
	Index, PrefixLen, Scope, Flags uint32
}

// Interface is one entry of netstat's interface table: what the SIOCGIF* ioctls,
// /proc/net/dev and /proc/net/if_inet6 say about one interface or address label.
type Interface struct {
	// Name is the interface name or an IPv4 address label such as "v0:1".
	Name  string
	Flags IfaceFlags
	// HWType and HWAddr come from SIOCGIFHWADDR; net-tools keeps the first 8 bytes
	// of the address. When that ioctl fails HWAddr is zero and, as in net-tools,
	// HWType is the flags value left in the request.
	HWType HWType
	HWAddr [8]byte
	// MTU is 0 when SIOCGIFMTU failed.
	MTU int32
	Map IfaceMap
	// TxQueueLen is -1 when SIOCGIFTXQLEN failed.
	TxQueueLen int32
	// Outfill and Keepalive are only asked for on SLIP devices (HWType.IsSLIP).
	Outfill, Keepalive int32

	// HasIPv4 reports that SIOCGIFADDR succeeded. Addr, Netmask, Broadcast and
	// Destination are then the results of the SIOCGIF*ADDR ioctls; a zero Addr
	// means that ioctl failed (net-tools prints "[NONE SET]").
	HasIPv4                               bool
	Addr, Netmask, Broadcast, Destination netip.Addr

	// Stats is nil when the name is not in /proc/net/dev (address labels).
	Stats *IfaceStats
	// Inet6 are the /proc/net/if_inet6 records whose device is Name, in file order.
	Inet6 []Inet6Addr
}

// IfaceSource is the live, ioctl side of the interface table: what net-tools gets
// from an AF_INET datagram socket.
type IfaceSource interface {
	// ConfNames returns the names SIOCGIFCONF reports (every interface and address
	// label that has an IPv4 address), in kernel order, duplicates included.
	ConfNames() ([]string, error)
	// Fetch returns the ioctl view of the interface or label name; Stats and Inet6
	// are left empty. It fails (wrapping the errno) only when SIOCGIFFLAGS fails;
	// other failed ioctls leave their documented defaults.
	Fetch(name string) (Interface, error)
	// Close releases the socket.
	Close() error
}

// CompareIfaceNames orders interface names as net-tools' nstrcmp does: an alias
// suffix ":N" is cut off, the remaining names are compared by their part before
// the trailing digits (byte-wise, a shorter part first), then by the trailing
// number, then byte-wise, then by the alias number (no alias first). It returns
// a negative number, zero or a positive number.
func CompareIfaceNames(a, b string) int {
	a, aAlias, aHasAlias := cutAlias(a)
	b, bAlias, bHasAlias := cutAlias(b)
	ai, bi := digitsStart(a), digitsStart(b)
	n := min(ai, bi)
	if c := compareBytes(a[:n], b[:n]); c != 0 {
		return c
	}
	switch {
	case ai > bi:
		return 1
	case ai < bi:
		return -1
	}
	if av, bv := atoi(a[ai:]), atoi(b[bi:]); av != bv {
		if av < bv {
			return -1
		}
		return 1
	}
	if c := compareBytes(a, b); c != 0 {
		return c
	}
	av, bv := int32(-1), int32(-1)
	if aHasAlias {
		av = atoi(aAlias)
	}
	if bHasAlias {
		bv = atoi(bAlias)
	}
	switch {
	case av < bv:
		return -1
	case av > bv:
		return 1
	}
	return 0
}

// cutAlias splits "name:digits" into name and digits, like nstrcmp's cutalias.
func cutAlias(s string) (name, alias string, ok bool) {
	digit := false
	for pos := len(s); pos > 0; pos-- {
		c := s[pos-1]
		if c == ':' && digit {
			return s[:pos-1], s[pos:], true
		}
		if !isDigit(c) {
			break
		}
		digit = true
	}
	return s, "", false
}

// digitsStart returns the index where the trailing run of digits of s starts.
func digitsStart(s string) int {
	for pos := len(s); pos > 0; pos-- {
		if !isDigit(s[pos-1]) {
			return pos
		}
	}
	return 0
}

// atoi converts a run of decimal digits like glibc's atoi: strtol saturating at
// LONG_MAX, then truncated to int.
func atoi(s string) int32 {
	var v int64
	for i := 0; i < len(s) && isDigit(s[i]); i++ {
		d := int64(s[i] - '0')
		if v > (1<<63-1-d)/10 {
			v = 1<<63 - 1
			break
		}
		v = v*10 + d
	}
	return int32(v)
}

func compareBytes(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
