package procnet

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netstat-go/netstat/netstat"
)

// groupRows decodes one file with d into "iface users group" lines and warnings.
func groupRows(t *testing.T, d *GroupDecoder, data string) (rows, warnings []string) {
	t.Helper()
	err := d.Scan(strings.NewReader(data), func(w string) { warnings = append(warnings, w) }, func(m *netstat.Membership) error {
		rows = append(rows, m.Iface+" "+strconv.Itoa(int(m.Users))+" "+m.Group.String())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows, warnings
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGroupDecoderF5(t *testing.T) {
	var d GroupDecoder
	rows, warnings := groupRows(t, &d, readFixture(t, "testdata/F5/net/igmp"))
	want := []string{
		"lo 1 224.0.0.1", "v1 1 224.0.0.1", "v0 1 224.0.0.251", "v0 2 239.1.2.3", "v0 1 224.0.0.1",
		"elevenchars 1 224.0.0.1", "tenletters 1 239.255.255.250", "tenletters 1 224.0.0.1",
		"averyveryverylo 1 224.0.0.1", "fourteenchars1 1 224.0.0.1",
	}
	if diff := cmp.Diff(want, rows); diff != "" || warnings != nil {
		t.Errorf("igmp (-want +got):\n%s\nwarnings: %q", diff, warnings)
	}
	rows, warnings = groupRows(t, &d, readFixture(t, "testdata/F5/net/igmp6"))
	if len(rows) != 25 || rows[0] != "lo 1 ff02::1" || rows[5] != "v0 2 ff05::1:3" || warnings != nil {
		t.Errorf("igmp6: %d rows %q…, warnings %q", len(rows), rows[:min(len(rows), 6)], warnings)
	}
}

// TestGroupDecoderContinuous replays what netstat -g -c does on its second
// iteration: /proc/net/igmp read with the IPv6 rules. The expectations are the
// oracle's (../textfmt/testdata/F5.txtar, "timeout 2.5 /usr/bin/netstat -gc").
func TestGroupDecoderContinuous(t *testing.T) {
	igmp, igmp6 := readFixture(t, "testdata/F5/net/igmp"), readFixture(t, "testdata/F5/net/igmp6")
	var d GroupDecoder
	groupRows(t, &d, igmp)
	groupRows(t, &d, igmp6)
	rows, warnings := groupRows(t, &d, igmp)
	wantRows := []string{"E0 0 0:1::100:0", "E0 0 0:1::1", "EF 0 0:2::100:0", "E0 0 0:1::1",
		"E0 0 0:1::100:0", "E0 0 0:1::1", "E0 0 0:1::100:0", "E0 0 0:1::1"}
	var wantWarnings []string
	for _, n := range []string{"1", "3", "5", "6", "9", "11", "12", "14", "16"} {
		wantWarnings = append(wantWarnings, "warning, got bogus igmp6 line "+n+".")
	}
	if diff := cmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantWarnings, warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	// igmp6 itself still reads normally.
	if rows, _ := groupRows(t, &d, igmp6); len(rows) != 25 || rows[0] != "lo 1 ff02::1" {
		t.Errorf("igmp6 after the misread: %q", rows)
	}
}

func TestGroupDecoderLines(t *testing.T) {
	const hdr = "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
	grp := func(h string) string { return "\t\t\t\t" + h + "     1 0:00000000\t\t0\n" }
	for _, tc := range []struct {
		name     string
		in       string
		rows     []string
		warnings []string
	}{
		{"colon in name", hdr + "2\tab:cd     :     1      V3\n" + grp("FB0000E0"), []string{"ab:cd 1 224.0.0.251"}, nil},
		{"no Idx column", "Device    : Count Querier\tGroup    Users Timer\tReporter\nlo        :     1      V3\n" + grp("010000E0"),
			[]string{"lo 1 224.0.0.1"}, nil},
		{"short device line keeps the buffer's tail", hdr + "1\tlongername:     1 V3\n" + "4\tx\n" + grp("010000E0"),
			[]string{"x\nngername 1 224.0.0.1"}, nil},
		{"bogus group lines", hdr + "1\tlo        :     1      V3\n\tZZ\n\t010000E0\n" + grp("1000E0"),
			[]string{"lo 1 224.0.16.0"}, []string{"warning, got bogus igmp line 2.", "warning, got bogus igmp line 3."}},
		{"bogus device line", hdr + "x\tlo\n", nil, []string{"warning, got bogus igmp line 1."}},
		{"igmp6 short and long hex", "1 lo ff02 1 0 0\n2 v0 ff020000000000000000000000000002abcdef 3 0 0\n2 v0\n",
			[]string{"lo 1 0:ff02::", "v0 3 ff02::2"}, []string{"warning, got bogus igmp6 line 2."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d GroupDecoder
			rows, warnings := groupRows(t, &d, tc.in)
			if diff := cmp.Diff(tc.rows, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.warnings, warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzGroupDecoder (seeds in testdata/fuzz/FuzzGroupDecoder) checks that any igmp/igmp6 content decodes without panicking, in
// the order netstat -g -c reads the files (igmp, igmp6, igmp again).
func FuzzGroupDecoder(f *testing.F) {
	f.Fuzz(func(t *testing.T, igmp, igmp6 []byte) {
		var d GroupDecoder
		check := func(m *netstat.Membership) error {
			if len(m.Iface) > 15 || !m.Group.IsValid() {
				t.Fatalf("implausible membership %+v", m)
			}
			return nil
		}
		for _, data := range [][]byte{igmp, igmp6, igmp} {
			_ = d.Scan(bytes.NewReader(data), func(string) {}, check)
		}
	})
}
