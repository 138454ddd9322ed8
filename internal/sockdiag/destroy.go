package sockdiag

import (
	"context"
	"fmt"
	"syscall"

	"github.com/netstat-go/netstat/netstat"
)

// destroy.go closes sockets with SOCK_DESTROY (Linux 4.5, CONFIG_INET_DIAG_DESTROY),
// what `ss -K` sends: the kernel finds the socket by its endpoints, interface and
// cookie and aborts it, so both ends see a reset.

// typeSockDestroy is SOCK_DESTROY (include/uapi/linux/sock_diag.h).
const typeSockDestroy = 21

// flagAck is NLM_F_ACK: the kernel answers with an NLMSG_ERROR carrying 0 or -errno.
const flagAck = 0x4

// AppendDestroyRequest appends a SOCK_DESTROY request for the TCP socket s with
// sequence number seq to b: an inet_diag_req_v2 whose socket id holds s's ports and
// addresses (network order), its interface and its cookie.
func AppendDestroyRequest(b []byte, seq uint32, s *netstat.Socket) ([]byte, error) {
	if s.Proto != netstat.TCP {
		return b, fmt.Errorf("sock_diag: only TCP sockets can be closed, not %s", s.Proto)
	}
	fam := uint8(AFInet)
	if s.Family == netstat.IPv6 {
		fam = AFInet6
	}
	start := len(b)
	b = appendHeader(b, typeSockDestroy, flagRequest|flagAck, seq)
	b = append(b, fam, ProtoTCP, 0, 0)
	b = native.AppendUint32(b, AllStates)
	lp, rp := s.Local.Port(), s.Remote.Port()
	b = append(b, byte(lp>>8), byte(lp), byte(rp>>8), byte(rp))
	b = appendAddr(b, s.Local.Addr().As16(), fam)
	b = appendAddr(b, s.Remote.Addr().As16(), fam)
	b = native.AppendUint32(b, s.IfIndex)
	b = native.AppendUint32(b, uint32(s.Cookie))
	b = native.AppendUint32(b, uint32(s.Cookie>>32))
	return finishMessage(b, start), nil
}

// appendAddr appends a 16-byte inet_diag address: an IPv4 address in its first four
// bytes, an IPv6 one whole.
func appendAddr(b []byte, a16 [16]byte, fam uint8) []byte {
	if fam == AFInet {
		var v4 [16]byte
		copy(v4[:4], a16[12:])
		return append(b, v4[:]...)
	}
	return append(b, a16[:]...)
}

// Destroy asks the kernel to close the TCP socket s (matched by endpoints, interface
// and cookie; a cookie of 0 must come from the socket's own dump). It returns nil when
// the kernel closed it, or the kernel's errno as a syscall.Errno: EOPNOTSUPP without
// CONFIG_INET_DIAG_DESTROY, EPERM without CAP_NET_ADMIN, ENOENT when the socket has
// gone.
func (c *Client) Destroy(ctx context.Context, s *netstat.Socket) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.seq++
	req, err := AppendDestroyRequest(c.req[:0], c.seq, s)
	if err != nil {
		return err
	}
	c.req = req
	if c.conn == nil {
		conn, err := c.dial()
		if err != nil {
			return err
		}
		c.conn = conn
	}
	if err := c.conn.Send(req); err != nil {
		return err
	}
	buf := make([]byte, 4096)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := c.conn.Receive(buf)
		if err != nil {
			return err
		}
		for b := buf[:n]; len(b) > 0; {
			h, payload, rest, err := SplitMessage(b)
			if err != nil {
				return err
			}
			b = rest
			if h.Seq != c.seq || h.Type != typeError {
				continue
			}
			errno, ok := errnoPayload(payload)
			if !ok {
				return malformed("NLMSG_ERROR of %d bytes", len(payload))
			}
			if errno == 0 {
				return nil
			}
			return syscall.Errno(-errno)
		}
	}
}
