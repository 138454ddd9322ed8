package sockdiag

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitMessage(t *testing.T) {
	two := cat(nlmsg(20, 2, 7, []byte{1, 2, 3}), nlmsg(3, 2, 7, []byte{0, 0, 0, 0}))
	tests := []struct {
		name        string
		in          []byte
		wantHeader  Header
		wantPayload []byte
		wantRest    int
		wantErr     bool
	}{
		{
			name:        "padded first of two",
			in:          two,
			wantHeader:  Header{Len: 19, Type: 20, Flags: 2, Seq: 7, PID: 4242},
			wantPayload: []byte{1, 2, 3},
			wantRest:    20,
		},
		{
			name:       "last message without trailing padding",
			in:         two[:19],
			wantHeader: Header{Len: 19, Type: 20, Flags: 2, Seq: 7, PID: 4242},
			// The payload ends where the header says; no rest.
			wantPayload: []byte{1, 2, 3},
			wantRest:    0,
		},
		{name: "short header", in: two[:15], wantErr: true},
		{name: "length beyond data", in: two[:18], wantErr: true},
		{name: "length below header", in: func() []byte { b := nlmsg(20, 0, 0, nil); ne.PutUint32(b, 15); return b }(), wantErr: true},
		{name: "empty", in: nil, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, p, rest, err := SplitMessage(tt.in)
			if tt.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantHeader, h); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantPayload, p); diff != "" {
				t.Errorf("payload (-want +got):\n%s", diff)
			}
			if len(rest) != tt.wantRest {
				t.Errorf("rest = %d bytes, want %d", len(rest), tt.wantRest)
			}
		})
	}
}

func TestFindAttr(t *testing.T) {
	attrs := cat(nlattr(8, []byte{1}), nlattr(2|0x8000, []byte{9, 8, 7, 6, 5}), nlattr(0, nil))
	tests := []struct {
		name      string
		attrs     []byte
		typ       uint16
		want      []byte
		wantFound bool
		wantErr   bool
	}{
		{name: "first", attrs: attrs, typ: 8, want: []byte{1}, wantFound: true},
		{name: "flag bits ignored", attrs: attrs, typ: 2, want: []byte{9, 8, 7, 6, 5}, wantFound: true},
		{name: "type zero, empty", attrs: attrs, typ: 0, want: []byte{}, wantFound: true},
		{name: "absent", attrs: attrs, typ: 11},
		{name: "none", attrs: nil, typ: 2},
		{name: "truncated header", attrs: attrs[:10], typ: 2, wantErr: true},
		{name: "length beyond data", attrs: attrs[:15], typ: 2, wantErr: true},
		{name: "length below header", attrs: []byte{3, 0, 2, 0}, typ: 2, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found, err := FindAttr(tt.attrs, tt.typ)
			if tt.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("err = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if found != tt.wantFound {
				t.Fatalf("found = %v, want %v", found, tt.wantFound)
			}
			if diff := cmp.Diff(tt.want, got); found && diff != "" {
				t.Errorf("data (-want +got):\n%s", diff)
			}
		})
	}
}
