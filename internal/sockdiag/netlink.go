// Package sockdiag speaks the kernel's sock_diag netlink protocol (NETLINK_SOCK_DIAG):
// it encodes inet_diag and unix_diag dump requests, decodes their replies from raw
// bytes, and streams Internet sockets as netstat.Socket values carrying exactly what
// /proc/net/{tcp,udp,udplite,raw}[6] would show for them.
//
// The layers are kept apart: netlink.go, inet.go and unix.go are pure encoders and
// decoders over byte slices; client.go runs dumps over a Conn, the only place that
// touches the kernel, so tests replace it with a fake that checks the request bytes and
// returns canned replies; conn_linux.go is the live Conn.
package sockdiag

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Netlink wire constants (include/uapi/linux/netlink.h, sock_diag.h). Netlink headers
// and attributes are in host byte order.
const (
	headerLen = 16 // sizeof(struct nlmsghdr)
	attrLen   = 4  // sizeof(struct nlattr)

	typeNoop    = 0x1 // NLMSG_NOOP
	typeError   = 0x2 // NLMSG_ERROR
	typeDone    = 0x3 // NLMSG_DONE
	typeOverrun = 0x4 // NLMSG_OVERRUN

	// TypeSockDiagByFamily is SOCK_DIAG_BY_FAMILY, the message type of sock_diag
	// requests and of each socket in their replies.
	TypeSockDiagByFamily = 20

	flagRequest  = 0x1   // NLM_F_REQUEST
	flagDump     = 0x300 // NLM_F_ROOT|NLM_F_MATCH
	flagDumpIntr = 0x10  // NLM_F_DUMP_INTR: the table changed during the dump
)

var native = binary.NativeEndian

// Header is a netlink message header (struct nlmsghdr).
type Header struct {
	Len   uint32 // length of the message including this header
	Type  uint16
	Flags uint16
	Seq   uint32
	PID   uint32 // port id of the sender (of the requester, in kernel replies)
}

// ErrMalformed is wrapped by every decoding error caused by bytes that do not follow
// the netlink or sock_diag layout.
var ErrMalformed = errors.New("malformed netlink data")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

// align4 rounds n up to the netlink alignment (NLMSG_ALIGN, NLA_ALIGN).
func align4(n int) int { return (n + 3) &^ 3 }

// appendHeader appends a netlink header whose length field is patched by finishMessage.
func appendHeader(b []byte, typ, flags uint16, seq uint32) []byte {
	b = native.AppendUint32(b, 0)
	b = native.AppendUint16(b, typ)
	b = native.AppendUint16(b, flags)
	b = native.AppendUint32(b, seq)
	return native.AppendUint32(b, 0) // the kernel fills in our port id
}

// finishMessage sets the length of the message that starts at b[start:].
func finishMessage(b []byte, start int) []byte {
	native.PutUint32(b[start:], uint32(len(b)-start))
	return b
}

// SplitMessage decodes the first netlink message of b, typically one datagram read from
// the kernel. It returns the header, the payload (the bytes after the header, up to the
// length the header gives) and the remaining bytes, which start at the next aligned
// message. payload and rest alias b.
func SplitMessage(b []byte) (h Header, payload, rest []byte, err error) {
	if len(b) < headerLen {
		return h, nil, nil, malformed("netlink message of %d bytes is shorter than its header", len(b))
	}
	h = Header{
		Len:   native.Uint32(b[0:]),
		Type:  native.Uint16(b[4:]),
		Flags: native.Uint16(b[6:]),
		Seq:   native.Uint32(b[8:]),
		PID:   native.Uint32(b[12:]),
	}
	if h.Len < headerLen || uint64(h.Len) > uint64(len(b)) {
		return h, nil, nil, malformed("netlink message length %d outside [%d, %d]", h.Len, headerLen, len(b))
	}
	n := int(h.Len)
	rest = b[min(align4(n), len(b)):]
	return h, b[headerLen:n], rest, nil
}

// SplitAttr decodes the first netlink attribute (struct nlattr) of b. It returns the
// attribute type without the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits, its payload and
// the remaining attributes. data and rest alias b.
func SplitAttr(b []byte) (typ uint16, data, rest []byte, err error) {
	if len(b) < attrLen {
		return 0, nil, nil, malformed("netlink attribute of %d bytes is shorter than its header", len(b))
	}
	n := int(native.Uint16(b))
	if n < attrLen || n > len(b) {
		return 0, nil, nil, malformed("netlink attribute length %d outside [%d, %d]", n, attrLen, len(b))
	}
	typ = native.Uint16(b[2:]) & 0x3fff
	return typ, b[attrLen:n], b[min(align4(n), len(b)):], nil
}

// FindAttr returns the payload of the first attribute of type typ in attrs.
func FindAttr(attrs []byte, typ uint16) (data []byte, found bool, err error) {
	for len(attrs) > 0 {
		t, d, rest, err := SplitAttr(attrs)
		if err != nil {
			return nil, false, err
		}
		if t == typ {
			return d, true, nil
		}
		attrs = rest
	}
	return nil, false, nil
}

// errnoPayload decodes the int error that starts an NLMSG_ERROR payload and may follow
// NLMSG_DONE. It is 0 or a negative errno.
func errnoPayload(p []byte) (int32, bool) {
	if len(p) < 4 {
		return 0, false
	}
	return int32(native.Uint32(p)), true
}
