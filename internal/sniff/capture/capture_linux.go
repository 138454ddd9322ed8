//go:build linux

package capture

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gopacket/gopacket/afpacket"
	"golang.org/x/sys/unix"

	"github.com/netstat-go/netstat/internal/sniff/filter"
	"github.com/netstat-go/netstat/internal/sniff/packet"
)

// Handle is an open capture.
type Handle struct {
	tp *afpacket.TPacket
}

// Open opens a SOCK_DGRAM packet socket (the packet starts at its IP header on every
// kind of interface), maps a TPACKET_V3 ring of 16 MiB, and attaches the filter that
// accepts TCP on the port and rejects outgoing copies.
func Open(o Options) (*Handle, error) {
	if o.Interface != "" {
		if _, err := net.InterfaceByName(o.Interface); err != nil {
			return nil, fmt.Errorf("interface %s: %w", o.Interface, err)
		}
	}
	if o.Poll == 0 {
		o.Poll = 200 * time.Millisecond
	}
	opts := []any{
		afpacket.TPacketVersion3,
		afpacket.SocketDgram,
		afpacket.OptFrameSize(1 << 16),
		afpacket.OptBlockSize(1 << 20),
		afpacket.OptNumBlocks(16),
		afpacket.OptBlockTimeout(10 * time.Millisecond),
		afpacket.OptPollTimeout(o.Poll),
	}
	if o.Interface != "" {
		opts = append(opts, afpacket.OptInterface(o.Interface))
	}
	tp, err := afpacket.NewTPacket(opts...)
	if err != nil {
		if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
			return nil, fmt.Errorf("%w: %w", ErrPermission, err)
		}
		return nil, fmt.Errorf("open packet socket: %w", err)
	}
	prog, err := filter.Raw(filter.Spec{Port: o.Port, Both: o.Both, DropOutgoing: true})
	if err != nil {
		tp.Close()
		return nil, err
	}
	if err := tp.SetBPF(prog); err != nil {
		tp.Close()
		return nil, fmt.Errorf("attach filter: %w", err)
	}
	return &Handle{tp: tp}, nil
}

// LinkType is the link type of the packets Next returns: bare IP.
func (h *Handle) LinkType() packet.LinkType { return packet.LinkRaw }

// Next returns the next packet (valid until the next call) and its time, or
// ErrTimeout.
func (h *Handle) Next() ([]byte, time.Time, error) {
	data, ci, err := h.tp.ZeroCopyReadPacketData()
	if err != nil {
		if errors.Is(err, afpacket.ErrTimeout) {
			return nil, time.Time{}, ErrTimeout
		}
		return nil, time.Time{}, fmt.Errorf("read packet: %w", err)
	}
	return data, ci.Timestamp, nil
}

// Stats returns the kernel's counters (PACKET_STATISTICS) since Open.
func (h *Handle) Stats() (Stats, error) {
	_, v3, err := h.tp.SocketStats()
	if err != nil {
		return Stats{}, fmt.Errorf("PACKET_STATISTICS: %w", err)
	}
	// tp_packets counts every packet the socket received, dropped ones included.
	return Stats{Packets: uint64(v3.Packets()), Drops: uint64(v3.Drops())}, nil
}

// Close releases the ring and the socket.
func (h *Handle) Close() { h.tp.Close() }
