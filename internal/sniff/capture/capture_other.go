//go:build !linux

package capture

import (
	"errors"
	"time"

	"github.com/netstat-go/netstat/internal/sniff/packet"
)

// Handle is an open capture; live capture exists only on Linux.
type Handle struct{}

// Open fails outside Linux.
func Open(Options) (*Handle, error) {
	return nil, errors.New("live capture needs Linux (AF_PACKET); read a file with -r")
}

// LinkType is the link type of the packets Next returns.
func (h *Handle) LinkType() packet.LinkType { return packet.LinkRaw }

// Next never returns a packet.
func (h *Handle) Next() ([]byte, time.Time, error) { return nil, time.Time{}, ErrTimeout }

// Stats returns nothing.
func (h *Handle) Stats() (Stats, error) { return Stats{}, nil }

// Close does nothing.
func (h *Handle) Close() {}
