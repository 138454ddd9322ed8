package textfmt

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netstat-go/netstat/netstat"
)

// netToolsColumn is net-tools' own formula for the column (prg_cache_add):
// snprintf(buf, PROGNAME_WIDTH, "%d/%s", pid, name) with PROGNAME_WIDTH 20, which
// keeps the first 19 bytes whatever they are.
func netToolsColumn(pid int, name string) string {
	s := fmt.Sprintf("%d/%s", pid, name)
	if len(s) > 19 {
		s = s[:19]
	}
	return s
}

func TestProgramColumn(t *testing.T) {
	tests := []struct {
		name string
		p    netstat.Process
		want string
	}{
		{"short", netstat.Process{PID: 1, Name: "init"}, "1/init"},
		{"spaces", netstat.Process{PID: 17060, Name: "my prog with spaces"}, "17060/my prog with "},
		{"exactly 19", netstat.Process{PID: 12345, Name: "a-very-long-p"}, "12345/a-very-long-p"},
		{"cut", netstat.Process{PID: 50000, Name: "averyveryverylongprogramname"}, "50000/averyveryvery"},
		// "é" is 0xc3 0xa9; byte 19 is its first byte: the cut leaves half a rune.
		{"mid-rune", netstat.Process{PID: 12, Name: "abcdefghijklmnoé"}, "12/abcdefghijklmno\xc3"},
		{"raw bytes", netstat.Process{PID: 17266, Name: "esc\x1b[31mred\ttab"}, "17266/esc\x1b[31mred\tt"},
		{"invalid utf-8", netstat.Process{PID: 7, Name: "\xff\xfe"}, "7/\xff\xfe"},
		{"kernel thread", netstat.Process{PID: 17270}, "17270/"},
		{"huge pid", netstat.Process{PID: 4194304, Name: "x"}, "4194304/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ProgramColumn(tt.p)
			if got != tt.want {
				t.Errorf("ProgramColumn(%+v) = %q, want %q", tt.p, got, tt.want)
			}
			if ref := netToolsColumn(tt.p.PID, tt.p.Name); got != ref {
				t.Errorf("ProgramColumn(%+v) = %q, net-tools' snprintf gives %q", tt.p, got, ref)
			}
			if b := AppendProgramColumn([]byte("x"), &tt.p); string(b) != "x"+tt.want {
				t.Errorf("AppendProgramColumn = %q, want %q", b, "x"+tt.want)
			}
			name, cut := netstat.ProgramColumnName(&tt.p)
			prefix := fmt.Sprintf("%d/", tt.p.PID)
			if prefix+name != tt.want || cut != (len(prefix)+len(tt.p.Name) > 19) {
				t.Errorf("ProgramColumnName = %q, %v; column %q", name, cut, tt.want)
			}
		})
	}
}

func FuzzProgramColumn(f *testing.F) {
	f.Add(1, "init")
	f.Add(12, "abcdefghijklmnoé")
	f.Add(-5, "neg")
	f.Fuzz(func(t *testing.T, pid int, name string) {
		p := netstat.Process{PID: pid, Name: name}
		got := ProgramColumn(p)
		if ref := netToolsColumn(pid, name); got != ref {
			t.Fatalf("ProgramColumn(%d, %q) = %q, snprintf gives %q", pid, name, got, ref)
		}
		shown, cut := netstat.ProgramColumnName(&p)
		want := "" // a PID of 19 digits or more leaves no room for the name
		if col, ok := strings.CutPrefix(got, fmt.Sprintf("%d/", pid)); ok {
			want = col
		}
		if shown != want {
			t.Fatalf("netstat.ProgramColumnName(%d, %q) = %q, column %q", pid, name, shown, got)
		}
		if cut != (len(fmt.Sprintf("%d/%s", pid, name)) > 19) {
			t.Fatalf("netstat.ProgramColumnName(%d, %q) cut = %v", pid, name, cut)
		}
	})
}

// TestProgramRow checks the padded column in a row: "-" without an owner, a cut name
// padded to 20 bytes like any other.
func TestProgramRow(t *testing.T) {
	o := SocketOptions{NumericHosts: true, NumericPorts: true, Programs: true}
	s := netstat.Socket{Proto: netstat.TCP, Family: netstat.IPv4, State: netstat.Listen, Inode: 9}
	for _, tt := range []struct {
		prog ProgramLookup
		want string
	}{
		{nil, " -                   \n"},
		{func(uint64) *netstat.Process { return nil }, " -                   \n"},
		{func(uint64) *netstat.Process { return &netstat.Process{PID: 5, Name: "sshd"} }, " 5/sshd              \n"},
		{func(uint64) *netstat.Process {
			return &netstat.Process{PID: 50000, Name: "averyveryverylongprogramname"}
		}, " 50000/averyveryvery \n"},
	} {
		row := string(AppendInetRow(nil, &s, &o, nil, tt.prog))
		if !strings.HasSuffix(row, "LISTEN     "+tt.want) {
			t.Errorf("row %q, want it to end in %q", row, "LISTEN     "+tt.want)
		}
	}
}
