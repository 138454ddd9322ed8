package sockdiag

// unix.go encodes unix_diag requests (struct unix_diag_req) and decodes their replies
// (struct unix_diag_msg and its attributes, include/uapi/linux/unix_diag.h).

// udiag_show bits: which attributes the kernel adds to each unix_diag reply.
const (
	UnixShowName  = 0x01 // UDIAG_SHOW_NAME
	UnixShowVFS   = 0x02 // UDIAG_SHOW_VFS
	UnixShowPeer  = 0x04 // UDIAG_SHOW_PEER
	UnixShowRQLen = 0x10 // UDIAG_SHOW_RQLEN
	UnixShowUID   = 0x40 // UDIAG_SHOW_UID
)

// unix_diag attribute types.
const (
	unixAttrName  = 0 // UNIX_DIAG_NAME
	unixAttrVFS   = 1 // UNIX_DIAG_VFS
	unixAttrPeer  = 2 // UNIX_DIAG_PEER
	unixAttrRQLen = 4 // UNIX_DIAG_RQLEN
	unixAttrUID   = 7 // UNIX_DIAG_UID
)

const (
	unixRequestLen = 24 // sizeof(struct unix_diag_req)
	unixMsgLen     = 16 // sizeof(struct unix_diag_msg)
)

// UnixRequest is the body of a unix_diag dump request.
type UnixRequest struct {
	States uint32 // bit i selects sk_state i (TCP_LISTEN, TCP_ESTABLISHED, TCP_CLOSE...)
	Show   uint32 // UnixShow* bits
}

// AppendUnixRequest appends a complete SOCK_DIAG_BY_FAMILY dump request for unix
// sockets with sequence number seq to b.
func AppendUnixRequest(b []byte, seq uint32, r UnixRequest) []byte {
	start := len(b)
	b = appendHeader(b, TypeSockDiagByFamily, flagRequest|flagDump, seq)
	b = append(b, AFUnix, 0, 0, 0)
	b = native.AppendUint32(b, r.States)
	b = native.AppendUint32(b, 0) // udiag_ino
	b = native.AppendUint32(b, r.Show)
	b = append(b, make([]byte, unixRequestLen-16)...)
	return finishMessage(b, start)
}

// UnixMsg is one socket of a unix_diag reply. Values of attributes the reply lacks are
// zero and their Has flag is false.
type UnixMsg struct {
	Type   uint8  // SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET
	State  uint8  // sk_state: 10 TCP_LISTEN, 1 TCP_ESTABLISHED, 7 TCP_CLOSE, 2 TCP_SYN_SENT
	Inode  uint32 // socket inode, as /proc/net/unix shows it
	Cookie uint64

	// Name is the bound address (sun_path bytes) as UNIX_DIAG_NAME gives it: abstract
	// names start with a NUL byte, path names end with one. It aliases the decoded bytes.
	Name    []byte
	HasName bool

	VFSInode, VFSDev uint32 // inode and device of a path name's file
	HasVFS           bool

	Peer    uint32 // inode of the peer socket
	HasPeer bool

	// RQueue and WQueue: for listeners, the accept queue length and the backlog limit;
	// otherwise the bytes queued for reading and for writing.
	RQueue, WQueue uint32
	HasRQLen       bool

	UID    uint32
	HasUID bool
}

// DecodeUnixMsg decodes the payload of one SOCK_DIAG_BY_FAMILY message of a unix_diag
// reply into m. Attributes it does not know are skipped.
func DecodeUnixMsg(b []byte, m *UnixMsg) error {
	if len(b) < unixMsgLen {
		return malformed("unix_diag_msg of %d bytes, want at least %d", len(b), unixMsgLen)
	}
	*m = UnixMsg{
		Type:   b[1],
		State:  b[2],
		Inode:  native.Uint32(b[4:]),
		Cookie: uint64(native.Uint32(b[8:])) | uint64(native.Uint32(b[12:]))<<32,
	}
	for attrs := b[unixMsgLen:]; len(attrs) > 0; {
		typ, data, rest, err := SplitAttr(attrs)
		if err != nil {
			return err
		}
		attrs = rest
		switch typ {
		case unixAttrName:
			m.Name, m.HasName = data, true
		case unixAttrVFS:
			if len(data) < 8 {
				return malformed("UNIX_DIAG_VFS of %d bytes", len(data))
			}
			m.VFSInode, m.VFSDev, m.HasVFS = native.Uint32(data), native.Uint32(data[4:]), true
		case unixAttrPeer:
			if len(data) < 4 {
				return malformed("UNIX_DIAG_PEER of %d bytes", len(data))
			}
			m.Peer, m.HasPeer = native.Uint32(data), true
		case unixAttrRQLen:
			if len(data) < 8 {
				return malformed("UNIX_DIAG_RQLEN of %d bytes", len(data))
			}
			m.RQueue, m.WQueue, m.HasRQLen = native.Uint32(data), native.Uint32(data[4:]), true
		case unixAttrUID:
			if len(data) < 4 {
				return malformed("UNIX_DIAG_UID of %d bytes", len(data))
			}
			m.UID, m.HasUID = native.Uint32(data), true
		}
	}
	return nil
}

// Path returns the bound name as /proc/net/unix prints it: an abstract name starts with
// '@' and has its NUL bytes shown as '@'; a path name loses its terminating NUL. It is ""
// for unnamed sockets.
func (m *UnixMsg) Path() string {
	name := m.Name
	if len(name) == 0 {
		return ""
	}
	if name[0] != 0 {
		// unix_seq_show prints len-1 bytes: the kernel's length counts the final NUL.
		name = name[:len(name)-1]
	}
	b := make([]byte, len(name))
	for i, c := range name {
		if c == 0 {
			c = '@'
		}
		b[i] = c
	}
	return string(b)
}
