// Package pcapfile reads packets from a pcap or pcapng stream (a file, or tcpdump -w -
// on standard input) with gopacket's pure-Go pcapgo readers.
package pcapfile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket/pcapgo"

	"github.com/netstat-go/netstat/internal/sniff/packet"
)

// Reader yields the packets of one capture file in order.
type Reader struct {
	pcap *pcapgo.Reader
	ng   *pcapgo.NgReader
}

// NewReader detects the format from the first four bytes and reads the file header.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("read capture header: %w", err)
	}
	if binary.LittleEndian.Uint32(magic) == 0x0a0d0d0a {
		ng, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{})
		if err != nil {
			return nil, fmt.Errorf("pcapng: %w", err)
		}
		return &Reader{ng: ng}, nil
	}
	p, err := pcapgo.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("pcap: %w", err)
	}
	return &Reader{pcap: p}, nil
}

// Next returns the next packet: its bytes (valid until the next call), time and link
// type. It returns io.EOF at the end.
func (r *Reader) Next() ([]byte, time.Time, packet.LinkType, error) {
	if r.ng != nil {
		data, ci, err := r.ng.ZeroCopyReadPacketData()
		if err != nil {
			return nil, time.Time{}, 0, eof(err)
		}
		lt := r.ng.LinkType()
		if iface, err := r.ng.Interface(ci.InterfaceIndex); err == nil {
			lt = iface.LinkType
		}
		return data, ci.Timestamp, packet.LinkType(lt), nil
	}
	data, ci, err := r.pcap.ZeroCopyReadPacketData()
	if err != nil {
		return nil, time.Time{}, 0, eof(err)
	}
	return data, ci.Timestamp, packet.LinkType(r.pcap.LinkType()), nil
}

// eof turns a file that ends inside a record (tcpdump killed mid-write) into a
// plain end.
func eof(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return io.EOF
	}
	return err
}
