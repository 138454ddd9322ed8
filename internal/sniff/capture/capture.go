// Package capture reads packets live from an AF_PACKET socket with a TPACKET_V3 ring
// (gopacket's pure-Go afpacket) under a kernel BPF filter. One goroutine owns a
// Handle: the packet bytes it yields point into the ring and are valid only until the
// next read.
package capture

import (
	"errors"
	"time"
)

// ErrPermission is wrapped when the process may not open a packet socket.
var ErrPermission = errors.New("no capture privilege")

// Stats are the kernel's counters for the socket, since it was opened.
type Stats struct {
	Packets uint64 // packets that passed the filter
	Drops   uint64 // packets lost because the ring was full
}

// Options configure Open.
type Options struct {
	// Interface is the interface name; "" captures on every interface.
	Interface string
	// Port and Both select the traffic (see filter.Spec).
	Port uint16
	Both bool
	// Poll bounds how long Next waits before it returns ErrTimeout, so that the
	// owner can notice a cancelled context.
	Poll time.Duration
}

// ErrTimeout is returned by Next when no packet arrived within Options.Poll.
var ErrTimeout = errors.New("capture: poll timeout")
