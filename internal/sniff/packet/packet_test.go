package packet

import (
	"errors"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// build serialises a packet with gopacket, an independent encoder.
func build(t testing.TB, ip6 bool, payload string) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: make([]byte, 6), DstMAC: make([]byte, 6), EthernetType: layers.EthernetTypeIPv4}
	tcp := &layers.TCP{SrcPort: 40000, DstPort: 80, Seq: 1000, Ack: 7, PSH: true, ACK: true, DataOffset: 5}
	ls := []gopacket.SerializableLayer{eth}
	if ip6 {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip := &layers.IPv6{Version: 6, NextHeader: layers.IPProtocolTCP, HopLimit: 64,
			SrcIP: netip.MustParseAddr("2001:db8::1").AsSlice(), DstIP: netip.MustParseAddr("2001:db8::2").AsSlice()}
		if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		ls = append(ls, ip)
	} else {
		ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP,
			SrcIP: []byte{10, 0, 0, 1}, DstIP: []byte{10, 0, 0, 2}}
		if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		ls = append(ls, ip)
	}
	ls = append(ls, tcp, gopacket.Payload(payload))
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ip6      bool
		src, dst string
		iplen    int
	}{
		{"ipv4", false, "10.0.0.1:40000", "10.0.0.2:80", 20 + 20 + 5},
		{"ipv6", true, "[2001:db8::1]:40000", "[2001:db8::2]:80", 40 + 20 + 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := build(t, tc.ip6, "hello")
			var s Segment
			if err := Decode(LinkEthernet, b, &s); err != nil {
				t.Fatal(err)
			}
			if s.Src.String() != tc.src || s.Dst.String() != tc.dst || s.Seq != 1000 || s.Ack != 7 ||
				s.Flags != FlagPSH|FlagACK || string(s.Payload) != "hello" || s.IPLen != tc.iplen {
				t.Errorf("got %+v", s)
			}
			// The same packet without its Ethernet header, as a SOCK_DGRAM socket gives it.
			var r Segment
			if err := Decode(LinkRaw, b[14:], &r); err != nil || string(r.Payload) != "hello" || r.Src != s.Src {
				t.Errorf("raw: %+v, %v", r, err)
			}
			// A capture cut inside the headers is an error; one cut in the payload
			// (a short snap length) keeps what was captured.
			hdr := 14 + tc.iplen - 5 // Ethernet, IP and TCP headers (IPv4 adds padding to 60 bytes)
			for n := range len(b) {
				err := Decode(LinkEthernet, b[:n], &r)
				if n < hdr && err == nil {
					t.Errorf("%d bytes: no error", n)
				}
				if n >= hdr && (err != nil || string(r.Payload) != "hello"[:min(5, n-hdr)]) {
					t.Errorf("%d bytes: %q, %v", n, r.Payload, err)
				}
			}
		})
	}
}

func TestDecodeNotTCP(t *testing.T) {
	b := build(t, false, "x")
	b[14+9] = 17 // UDP
	var s Segment
	if err := Decode(LinkEthernet, b, &s); !errors.Is(err, ErrNotTCP) {
		t.Errorf("UDP: %v", err)
	}
	b = build(t, false, "x")
	b[14+7] = 1 // fragment offset 8
	if err := Decode(LinkEthernet, b, &s); !errors.Is(err, ErrNotTCP) {
		t.Errorf("fragment: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(uint8(1), build(f, false, "GET / HTTP/1.1\r\n\r\n"))
	f.Add(uint8(1), build(f, true, "x"))
	f.Add(uint8(101), build(f, true, "x")[14:])
	f.Add(uint8(113), append(make([]byte, 14), append([]byte{0x08, 0x00}, build(f, false, "x")[14:]...)...))
	f.Fuzz(func(t *testing.T, lt uint8, b []byte) {
		var s Segment
		if err := Decode(LinkType(lt), b, &s); err == nil && len(s.Payload) > len(b) {
			t.Fatal("payload longer than the packet")
		}
	})
}
