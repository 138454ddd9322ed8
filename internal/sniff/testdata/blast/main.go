// Command blast is the packet generator of scripts/bench-sniff.sh: it sends N crafted
// TCP segments to 127.0.0.1 port 80 from 20 loopback sources, as fast as one
// AF_PACKET SOCK_DGRAM socket on lo can, and prints the rate it reached.
package main

import (
	"encoding/binary"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: blast COUNT")
	}
	n, err := strconv.Atoi(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		log.Fatal(err)
	}
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_DGRAM, 0)
	if err != nil {
		log.Fatal(err)
	}
	to := &unix.SockaddrLinklayer{Ifindex: lo.Index, Protocol: htons(unix.ETH_P_IP)}
	payload := []byte("GET / HTTP/1.1\r\nHost: bench\r\n\r\n")
	pkt := make([]byte, 40+len(payload))
	start := time.Now()
	for i := range n {
		src := byte(1 + i%20)
		ip := pkt[:20]
		ip[0], ip[1] = 0x45, 0
		binary.BigEndian.PutUint16(ip[2:], uint16(len(pkt)))
		binary.BigEndian.PutUint16(ip[4:], uint16(i))
		ip[6], ip[7], ip[8], ip[9] = 0x40, 0, 64, unix.IPPROTO_TCP
		ip[10], ip[11] = 0, 0
		copy(ip[12:], []byte{127, 0, 0, src})
		copy(ip[16:], []byte{127, 0, 0, 1})
		binary.BigEndian.PutUint16(ip[10:], checksum(ip))
		tcp := pkt[20:40]
		binary.BigEndian.PutUint16(tcp[0:], uint16(40000+i%1000))
		binary.BigEndian.PutUint16(tcp[2:], 80)
		binary.BigEndian.PutUint32(tcp[4:], uint32(i))
		binary.BigEndian.PutUint32(tcp[8:], 1)
		tcp[12], tcp[13] = 5<<4, 0x18 // PSH ACK
		binary.BigEndian.PutUint16(tcp[14:], 65535)
		copy(pkt[40:], payload)
		for {
			err := unix.Sendto(fd, pkt, 0, to)
			if err == unix.ENOBUFS || err == unix.EAGAIN {
				continue
			}
			if err != nil {
				log.Fatal(err)
			}
			break
		}
	}
	d := time.Since(start)
	fmt.Printf("sent %d packets in %.2fs (%.0f packets/s)\n", n, d.Seconds(), float64(n)/d.Seconds())
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

func checksum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}
