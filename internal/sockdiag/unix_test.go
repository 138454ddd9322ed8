package sockdiag

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAppendUnixRequest(t *testing.T) {
	// struct nlmsghdr (16) + struct unix_diag_req (24), laid out by hand.
	want := make([]byte, 40)
	ne.PutUint32(want[0:], 40)
	ne.PutUint16(want[4:], 20)
	ne.PutUint16(want[6:], 0x301)
	ne.PutUint32(want[8:], 3)
	want[16] = 1 // AF_UNIX
	ne.PutUint32(want[20:], 0xffffffff)
	ne.PutUint32(want[28:], 0x57)
	got := AppendUnixRequest(nil, 3, UnixRequest{States: AllStates, Show: 0x57})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
}

// unixPayload lays out struct unix_diag_msg followed by attrs.
func unixPayload(typ, state uint8, ino uint32, attrs ...[]byte) []byte {
	b := make([]byte, 16)
	b[0], b[1], b[2] = 1, typ, state
	ne.PutUint32(b[4:], ino)
	ne.PutUint32(b[8:], 0xabc)
	ne.PutUint32(b[12:], 1)
	return cat(append([][]byte{b}, attrs...)...)
}

func pair(a, b uint32) []byte { return ne.AppendUint32(ne.AppendUint32(nil, a), b) }

func TestDecodeUnixMsg(t *testing.T) {
	tests := []struct {
		name     string
		in       []byte
		want     UnixMsg
		wantPath string
		wantErr  bool
	}{
		{
			name: "listener with path, every attribute",
			in: unixPayload(1, 10, 3001,
				nlattr(unixAttrName, []byte("/run/x.sock\x00")),
				nlattr(unixAttrVFS, pair(77, 2049)),
				nlattr(unixAttrRQLen, pair(1, 128)),
				nlattr(6, []byte{0}), // UNIX_DIAG_SHUTDOWN: skipped
				nlattr(unixAttrUID, ne.AppendUint32(nil, 1000)),
			),
			want: UnixMsg{Type: 1, State: 10, Inode: 3001, Cookie: 1<<32 | 0xabc,
				Name: []byte("/run/x.sock\x00"), HasName: true,
				VFSInode: 77, VFSDev: 2049, HasVFS: true,
				RQueue: 1, WQueue: 128, HasRQLen: true, UID: 1000, HasUID: true},
			wantPath: "/run/x.sock",
		},
		{
			name: "abstract connected with peer",
			in: unixPayload(2, 1, 3002,
				nlattr(unixAttrName, []byte("\x00abs\x00tract")),
				nlattr(unixAttrPeer, ne.AppendUint32(nil, 3003)),
			),
			want: UnixMsg{Type: 2, State: 1, Inode: 3002, Cookie: 1<<32 | 0xabc,
				Name: []byte("\x00abs\x00tract"), HasName: true, Peer: 3003, HasPeer: true},
			wantPath: "@abs@tract",
		},
		{
			name:     "unnamed",
			in:       unixPayload(1, 7, 3004),
			want:     UnixMsg{Type: 1, State: 7, Inode: 3004, Cookie: 1<<32 | 0xabc},
			wantPath: "",
		},
		{name: "short message", in: unixPayload(1, 7, 1)[:15], wantErr: true},
		{name: "short VFS", in: unixPayload(1, 7, 1, nlattr(unixAttrVFS, []byte{1, 2, 3})), wantErr: true},
		{name: "short peer", in: unixPayload(1, 7, 1, nlattr(unixAttrPeer, []byte{1})), wantErr: true},
		{name: "short rqlen", in: unixPayload(1, 7, 1, nlattr(unixAttrRQLen, []byte{1, 2, 3, 4})), wantErr: true},
		{name: "short uid", in: unixPayload(1, 7, 1, nlattr(unixAttrUID, nil)), wantErr: true},
		{name: "broken attribute", in: append(unixPayload(1, 7, 1), 9, 0, 0), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got UnixMsg
			err := DecodeUnixMsg(tt.in, &got)
			if tt.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("UnixMsg (-want +got):\n%s", diff)
			}
			if p := got.Path(); p != tt.wantPath {
				t.Errorf("Path() = %q, want %q", p, tt.wantPath)
			}
		})
	}
}
