package sniff

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// The expectations below come from what testdata/record.sh sent, not from our output:
// the User-Agents, sources and request counts of its curl commands, and the statements
// it gave the mariadb client and DBD::MariaDB.
const (
	uaGoogle = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
	uaBing   = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
	uaCurl   = "curl/7.88.1" // the Debian 12 curl that recorded the fixture
)

var uaSlurp = "slurp " + strings.Repeat("x", 3000)

// pkt is one packet of a fixture, as gopacket (not our decoder) reads it.
type pkt struct {
	ci   gopacket.CaptureInfo
	data []byte
	tcp  *layers.TCP
	src  string
}

func readFixture(t *testing.T, name string) []pkt {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []pkt
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		p := gopacket.NewPacket(data, r.LinkType(), gopacket.Default)
		q := pkt{ci: ci, data: data}
		if l, ok := p.TransportLayer().(*layers.TCP); ok {
			q.tcp = l
		}
		if n := p.NetworkLayer(); n != nil {
			q.src = n.NetworkFlow().Src().String()
		}
		out = append(out, q)
	}
}

func writePcap(t *testing.T, pkts []pkt) []byte {
	t.Helper()
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		if err := w.WritePacket(p.ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

func writePcapng(t *testing.T, pkts []pkt) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := pcapgo.NewNgWriter(&b, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		if err := w.WritePacket(p.ci, p.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// reorder swaps every two consecutive data segments of the same direction.
func reorder(in []pkt) []pkt {
	out := append([]pkt(nil), in...)
	for i := 0; i+1 < len(out); i++ {
		a, b := out[i], out[i+1]
		if a.tcp != nil && b.tcp != nil && len(a.tcp.Payload) > 0 && len(b.tcp.Payload) > 0 &&
			a.tcp.SrcPort == b.tcp.SrcPort && a.tcp.DstPort == b.tcp.DstPort && a.src == b.src {
			out[i], out[i+1] = b, a
			i++
		}
	}
	return out
}

// duplicate sends every data segment twice, the copy after the next packet.
func duplicate(in []pkt) []pkt {
	var out []pkt
	var held *pkt
	for i := range in {
		out = append(out, in[i])
		if held != nil {
			out = append(out, *held)
			held = nil
		}
		if in[i].tcp != nil && len(in[i].tcp.Payload) > 0 {
			held = &in[i]
		}
	}
	if held != nil {
		out = append(out, *held)
	}
	return out
}

func run(t *testing.T, input []byte, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	rc := Run(context.Background(), append(args, "-r", "-"), bytes.NewReader(input), &stdout, &stderr)
	if rc != 0 || stderr.Len() > 0 {
		t.Fatalf("sniff %v: exit %d, stderr %q", args, rc, stderr.String())
	}
	return stdout.String()
}

// timeMask hides the time column and client ports: they differ at each recording.
var (
	timeMask = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} `)
	portMask = regexp.MustCompile(`(?m)^(TIME \S+):\d+ `)
)

func maskTime(s string) string { return timeMask.ReplaceAllString(s, "TIME ") }

func mask(s string) string { return portMask.ReplaceAllString(maskTime(s), "$1:PORT ") }

func TestTopSourcesRequests(t *testing.T) {
	pkts := readFixture(t, "http.pcap")
	want := "      3 127.0.0.2\n      2 127.0.0.3\n      2 ::1\n      1 127.0.0.4\n"
	for name, input := range map[string][]byte{
		"pcap":         writePcap(t, pkts),
		"pcapng":       writePcapng(t, pkts),
		"out of order": writePcap(t, reorder(pkts)),
		"duplicated":   writePcap(t, duplicate(pkts)),
	} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(want, run(t, input, "top-sources", "--port", "80")); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	t.Run("top 2", func(t *testing.T) {
		got := run(t, writePcap(t, pkts), "top-sources", "--top", "2")
		if diff := cmp.Diff("      3 127.0.0.2\n      2 127.0.0.3\n", got); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})
}

// TestTopSourcesCounts checks packets, bytes and SYNs against gopacket's decoding.
func TestTopSourcesCounts(t *testing.T) {
	pkts := readFixture(t, "http.pcap")
	packets, bytesBy, syns := map[string]int{}, map[string]int{}, map[string]int{}
	for _, p := range pkts {
		if p.tcp == nil || p.tcp.DstPort != 80 {
			continue
		}
		packets[p.src]++
		bytesBy[p.src] += len(p.data) - 14 // Ethernet header
		if p.tcp.SYN && !p.tcp.ACK {
			syns[p.src]++
		}
	}
	input := writePcap(t, pkts)
	for by, m := range map[string]map[string]int{"packets": packets, "bytes": bytesBy, "connections": syns} {
		t.Run(by, func(t *testing.T) {
			got := map[string]int{}
			for _, line := range strings.Split(strings.TrimSuffix(run(t, input, "top-sources", "--by", by), "\n"), "\n") {
				var n int
				var addr string
				if _, err := fmtSscan(line, &n, &addr); err != nil {
					t.Fatalf("line %q: %v", line, err)
				}
				got[addr] = n
			}
			if diff := cmp.Diff(m, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func TestCrawlers(t *testing.T) {
	pkts := readFixture(t, "http.pcap")
	g := `TIME 127.0.0.2 "` + uaGoogle + `" example.com GET `
	b := `TIME ::1 "` + uaBing + `" [::1] GET `
	want := g + "/\n" + g + "/robots.txt\n" + g + "/a/b?c=d\n" + b + "/\n" + b + "/sitemap.xml\n" +
		`TIME 127.0.0.4 "` + uaSlurp + `" 127.0.0.1 GET /long` + "\n" +
		"\nrequests per User-Agent:\n      3 " + uaGoogle + "\n      2 " + uaBing + "\n      1 " + uaSlurp + "\n"
	for name, input := range map[string][]byte{
		"pcap":         writePcap(t, pkts),
		"out of order": writePcap(t, reorder(pkts)),
		"duplicated":   writePcap(t, duplicate(pkts)),
	} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(want, maskTime(run(t, input, "crawlers"))); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	t.Run("all", func(t *testing.T) {
		got := maskTime(run(t, writePcap(t, pkts), "crawlers", "--all", "--ua", "nomatch"))
		for _, line := range []string{
			`TIME 127.0.0.3 "curl/7.88.1" 127.0.0.1 GET /index.html`,
			`TIME 127.0.0.3 "curl/7.88.1" 127.0.0.1 POST /form`,
			"      2 " + uaCurl,
		} {
			if !strings.Contains(got, line+"\n") {
				t.Errorf("missing %q in\n%s", line, got)
			}
		}
	})
	t.Run("ua", func(t *testing.T) {
		got := maskTime(run(t, writePcap(t, pkts), "crawlers", "--ua", "BINGBOT"))
		want := b + "/\n" + b + "/sitemap.xml\n\nrequests per User-Agent:\n      2 " + uaBing + "\n"
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})
}

// mysqlWant is what record.sh sent, connection by connection.
func mysqlWant() string {
	big := strings.Repeat("y", 20000)
	c1 := "TIME 127.0.0.1:PORT app@shop "
	c1logs := "TIME 127.0.0.1:PORT app@logs "
	c2 := "TIME 127.0.0.1:PORT app@shop "
	ins := "INSERT INTO t (id, name, price, d) VALUES (?, ?, ?, ?)"
	return c1 + "query: INSERT INTO t (id, name) VALUES (1, 'Grüße, 世界')\n" +
		c1 + "query: SELECT id,\n       name\n  FROM t\n WHERE id = 1\n" +
		c1 + "query: INSERT INTO t (id, name) VALUES (2, '" + big + "')\n" +
		c1 + "query: SHOW TABLES\n" +
		c1 + "query: SELECT DATABASE()\n" + // the client's own, before "use logs"
		c1logs + "init_db: logs\n" +
		c1logs + "query: SELECT 1\n" +
		// DBD::MariaDB's own session setup, then the prepared statement.
		c2 + "query: SET NAMES 'utf8mb4'\n" +
		c2 + "query: SET character_set_server = 'utf8mb4'\n" +
		c2 + "query: SET collation_connection = 'utf8mb4_unicode_ci'\n" +
		c2 + "query: SET collation_server = 'utf8mb4_unicode_ci'\n" +
		c2 + "prepare: " + ins + "\n" +
		c2 + "execute 1: " + ins + " -- params: '3', 'it''s', '2.5', '2026-01-02 03:04:05'\n" +
		c2 + "execute 1: " + ins + " -- params: '4', NULL, '-1', '2026-12-31 23:59:59'\n" +
		"TIME 127.0.0.1:PORT ? TLS: statements not visible\n" +
		"TIME 127.0.0.1:PORT app@shop compressed protocol: statements not visible\n" +
		"\nevents per kind (4 connections):\n     10 query\n      2 execute\n      1 compressed\n      1 init_db\n      1 prepare\n      1 tls\n"
}

func TestMySQL(t *testing.T) {
	pkts := readFixture(t, "mysql.pcap")
	want := mysqlWant()
	for name, input := range map[string][]byte{
		"pcap":         writePcap(t, pkts),
		"pcapng":       writePcapng(t, pkts),
		"out of order": writePcap(t, reorder(pkts)),
		"duplicated":   writePcap(t, duplicate(pkts)),
	} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(want, mask(run(t, input, "mysql", "--port", "3306"))); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

// TestMySQLMidSession starts the capture of the first connection at SHOW TABLES (no
// handshake) and of the second after its prepare (an unknown statement id).
func TestMySQLMidSession(t *testing.T) {
	pkts := readFixture(t, "mysql.pcap")
	cut := func(marker string) (port layers.TCPPort, at int) {
		for i, p := range pkts {
			if p.tcp != nil && bytes.Contains(p.tcp.Payload, []byte(marker)) {
				return p.tcp.SrcPort, i
			}
		}
		t.Fatalf("no packet with %q", marker)
		return 0, 0
	}
	p1, at1 := cut("SHOW TABLES")
	p2, at2 := cut("\x17\x01\x00\x00\x00") // the first COM_STMT_EXECUTE of statement 1
	var kept []pkt
	for i, p := range pkts {
		if p.tcp != nil && ((i < at1 && (p.tcp.SrcPort == p1 || p.tcp.DstPort == p1)) ||
			(i < at2 && (p.tcp.SrcPort == p2 || p.tcp.DstPort == p2))) {
			continue
		}
		kept = append(kept, p)
	}
	got := mask(run(t, writePcap(t, kept), "mysql"))
	ins := []string{
		"TIME 127.0.0.1:PORT ? query: SHOW TABLES\n",
		"TIME 127.0.0.1:PORT ? query: SELECT DATABASE()\n",
		"TIME 127.0.0.1:PORT ? init_db: logs\n",
		"TIME 127.0.0.1:PORT ? query: SELECT 1\n",
		"TIME 127.0.0.1:PORT ? execute 1: unknown statement id (prepared before the capture started)\n",
		"TIME 127.0.0.1:PORT ? execute 1: unknown statement id (prepared before the capture started)\n",
		"TIME 127.0.0.1:PORT ? TLS: statements not visible\n",
	}
	want := strings.Join(ins, "") + "TIME 127.0.0.1:PORT app@shop compressed protocol: statements not visible\n" +
		"\nevents per kind (4 connections):\n      3 query\n      2 execute\n      1 compressed\n      1 init_db\n      1 tls\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestMySQLJSON(t *testing.T) {
	out := run(t, writePcap(t, readFixture(t, "mysql.pcap")), "mysql", "--json")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 17 {
		t.Fatalf("got %d lines, want 16 events and a summary", len(lines))
	}
	var ev statementJSON
	if err := json.Unmarshal([]byte(lines[12]), &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Kind != "execute" || ev.User != "app" || ev.DB != "shop" || ev.StmtID == nil || *ev.StmtID != 1 ||
		!cmp.Equal(ev.Params, []string{"'3'", "'it''s'", "'2.5'", "'2026-01-02 03:04:05'"}) || ev.Time.Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("execute event: %+v", ev)
	}
	var sum struct {
		Summary summaryJSON `json:"summary"`
	}
	if err := json.Unmarshal([]byte(lines[16]), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Summary.Connections != 4 || sum.Summary.Recipe != "mysql" || sum.Summary.Kernel != nil {
		t.Errorf("summary: %+v", sum.Summary)
	}
}

func fmtSscan(line string, n *int, addr *string) (int, error) { return fmt.Sscan(line, n, addr) }
