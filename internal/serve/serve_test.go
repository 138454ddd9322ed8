package serve

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/netstat-go/netstat/internal/nstest"
	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/internal/source"

	"github.com/netstat-go/netstat/internal/source/sourcetest"
	"github.com/netstat-go/netstat/netstat"
)

func TestRunHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := Run(t.Context(), []string{"--help"}, nil, &out, &errb); rc != 0 {
		t.Fatalf("exit %d, want 0; stderr %q", rc, errb.String())
	}
	for _, want := range []string{"-web.listen-address", "-web.config.file", "-web.telemetry-path", "-scrape.timeout", "-collector.ports.max", "-collector.peers.top", "-no-collector.snmp", defaultListenAddress} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--bogus"}, {"extra"}, {"--collector.ports.max=-1"}, {"--scrape.timeout=0s"},
		{"--web.telemetry-path=metrics"}, {"--collector.tcp=maybe"}, {"--log.level=loud"},
	} {
		var out, errb bytes.Buffer
		if rc := Run(t.Context(), args, nil, &out, &errb); rc != 2 {
			t.Errorf("%v: exit %d, want 2", args, rc)
		}
		lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "netstat serve: ") || !strings.Contains(lines[1], "--help") {
			t.Errorf("%v: stderr %q, want a message and a hint", args, errb.String())
		}
	}
}

func TestCollectorFlags(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{nil, []string{"tcp", "ports", "listen", "peers", "snmp"}},
		{[]string{"--collector.process", "--no-collector.snmp"}, []string{"tcp", "ports", "listen", "peers", "process"}},
		{[]string{"--collector.disable-defaults", "--collector.tcp"}, []string{"tcp"}},
		{[]string{"--collector.peers.top=0"}, []string{"tcp", "ports", "listen", "snmp"}},
		{[]string{"--collector.ports=false"}, []string{"tcp", "listen", "peers", "snmp"}},
	}
	for _, tt := range tests {
		cfg, err := parseFlags(tt.args)
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		var got []string
		for _, name := range collectorNames {
			if cfg.enabled[name] {
				got = append(got, name)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%v: collectors %v, want %v", tt.args, got, tt.want)
		}
	}
}

// startServe runs serve with the fake on a free loopback port and returns its base URL
// and a function that stops it and returns serve's error.
func startServe(t *testing.T, fake *sourcetest.Fake, args ...string) (string, func() error) {
	t.Helper()
	addr := freePort(t)
	cfg, err := parseFlags(append([]string{"--web.listen-address=" + addr}, args...))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	var logs lockedBuffer
	go func() { errc <- serve(ctx, cfg, fake, fake, snapshotOwners(fake), &logs) }()
	waitFor(t, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	stop := func() error {
		cancel()
		select {
		case err := <-errc:
			return err
		case <-time.After(10 * time.Second):
			return fmt.Errorf("serve did not return 10 s after cancel; log:\n%s", logs.String())
		}
	}
	return addr, stop
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestServeAndShutdown(t *testing.T) {
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{population()}, FakeCounters: counters()}
	addr, stop := startServe(t, fake, "--web.telemetry-path=/m")
	code, body := get(t, "http://"+addr+"/m")
	if code != 200 || !strings.Contains(body, `netstat_tcp_connections{state="syn_recv"} 9`) || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/m: %d\n%s", code, body)
	}
	if code, body := get(t, "http://"+addr+"/"); code != 200 || !strings.Contains(body, `href="/m"`) {
		t.Errorf("/: %d\n%s", code, body)
	}
	if code, _ := get(t, "http://"+addr+"/nothing"); code != 404 {
		t.Errorf("/nothing: %d, want 404", code)
	}
	if err := stop(); err != nil {
		t.Errorf("serve after cancel: %v", err)
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("still listening after shutdown")
	}
}

// TestScrapeSucceedsWhenSourceFails checks that a failing data layer gives
// success 0 and HTTP 200, not a 500.
func TestScrapeSucceedsWhenSourceFails(t *testing.T) {
	fake := &sourcetest.Fake{Err: fmt.Errorf("netlink: %w", os.ErrPermission)}
	cfg := testConfig(t)
	h, err := newHandler(t.Context(), cfg, fake, fake, snapshotOwners(fake), discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	for _, want := range []string{`netstat_scrape_collector_success{collector="tcp"} 0`, `netstat_scrape_collector_success{collector="snmp"} 1`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("body lacks %s", want)
		}
	}
}

// TestScrapeTimeoutHeader checks that Prometheus' scrape timeout bounds a scrape whose
// snapshot never comes.
func TestScrapeTimeoutHeader(t *testing.T) {
	src := blockingSource{}
	cfg := testConfig(t)
	h, err := newHandler(t.Context(), cfg, src, &sourcetest.Fake{}, noOwners, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", "0.2")
	rec := httptest.NewRecorder()
	start := time.Now()
	h.ServeHTTP(rec, req)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("scrape took %v with a 0.2 s timeout", d)
	}
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `netstat_scrape_collector_success{collector="tcp"} 0`) {
		t.Errorf("status %d, body:\n%s", rec.Code, rec.Body.String())
	}
}

// blockingSource never answers before its context ends.
type blockingSource struct{}

func (blockingSource) Stream(ctx context.Context, _ source.Query, _ source.Visit) (*source.Streamed, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestStartErrors(t *testing.T) {
	dir := t.TempDir()
	badYAML := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(badYAML, []byte("tls_server_config: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	noCert := filepath.Join(dir, "nocert.yml")
	if err := os.WriteFile(noCert, []byte("tls_server_config:\n  cert_file: /nonexistent/cert.pem\n  key_file: /nonexistent/key.pem\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--web.config.file=" + filepath.Join(dir, "missing.yml")}, "--web.config.file"},
		{[]string{"--web.config.file=" + badYAML}, "--web.config.file"},
		{[]string{"--web.config.file=" + noCert}, "--web.config.file"},
		{[]string{"--web.listen-address=" + busy.Addr().String()}, "address already in use"},
		{[]string{"--web.listen-address=127.0.0.1:99999"}, "--web.listen-address"},
	}
	for _, tt := range tests {
		cfg, err := parseFlags(tt.args)
		if err != nil {
			t.Fatal(err)
		}
		fake := &sourcetest.Fake{}
		done := make(chan error, 1)
		go func() { done <- serve(t.Context(), cfg, fake, fake, noOwners, io.Discard) }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v: error %v, want one mentioning %q", tt.args, err, tt.want)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%v: serve still running after 5 s, want an error at start", tt.args)
		}
	}
}

// TestPromtoolCheckMetrics runs promtool (Debian package prometheus) over a whole
// scrape.
func TestPromtoolCheckMetrics(t *testing.T) {
	promtool := nstest.RequireTool(t, "promtool")
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{population()}, FakeCounters: counters()}
	h, err := newHandler(t.Context(), testConfig(t), fake, fake, snapshotOwners(fake), discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	checkMetrics(t, promtool, rec.Body.Bytes())
}

// TestPromtoolCheckHostCounters runs promtool over the counters of this host's kernel
// (every name it has, not only those the fake knows).
func TestPromtoolCheckHostCounters(t *testing.T) {
	promtool := nstest.RequireTool(t, "promtool")
	var ctrs source.Counters
	for _, f := range []struct {
		path  string
		parse func(io.Reader) ([]netstat.CounterSection, error)
		dst   *[]netstat.CounterSection
	}{
		{"/proc/net/snmp", procnet.ParseSNMP, &ctrs.IPv4},
		{"/proc/net/netstat", procnet.ParseSNMP, &ctrs.IPv4},
		{"/proc/net/snmp6", procnet.ParseSNMP6, &ctrs.IPv6},
	} {
		r, err := os.Open(f.path)
		if err != nil {
			t.Fatal(err)
		}
		secs, err := f.parse(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.path, err)
		}
		*f.dst = append(*f.dst, secs...)
	}
	fake := &sourcetest.Fake{FakeCounters: &ctrs}
	h, err := newHandler(t.Context(), testConfig(t, "--collector.disable-defaults", "--collector.snmp"), fake, fake, noOwners, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if n := strings.Count(rec.Body.String(), "\nnetstat_snmp_"); n < 100 {
		t.Errorf("only %d kernel counters exported", n)
	}
	checkMetrics(t, promtool, rec.Body.Bytes())
}

// checkMetrics fails t with promtool's findings on exposition.
func checkMetrics(t *testing.T, promtool string, exposition []byte) {
	t.Helper()
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(exposition)
	out, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) != 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// TestTLSBasicAuth serves with a web configuration that turns on TLS and basic
// authentication and checks it with curl.
func TestTLSBasicAuth(t *testing.T) {
	curl := nstest.RequireTool(t, "curl")
	dir := t.TempDir()
	certFile, keyFile := writeCert(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webConfig := filepath.Join(dir, "web.yml")
	writeFile(t, webConfig, fmt.Sprintf("tls_server_config:\n  cert_file: %s\n  key_file: %s\nbasic_auth_users:\n  prometheus: %s\n", certFile, keyFile, hash))
	fake := &sourcetest.Fake{Snapshots: []*netstat.Snapshot{population()}, FakeCounters: counters()}
	addr, stop := startServe(t, fake, "--web.config.file="+webConfig)
	defer stop()
	url := "https://" + addr + "/metrics"
	run := func(args ...string) (string, string) {
		out, err := exec.Command(curl, append([]string{"-sS", "-o", "/dev/stderr", "-w", "%{http_code}", "--cacert", certFile}, append(args, url)...)...).CombinedOutput()
		if err != nil {
			return "", fmt.Sprintf("%v: %s", err, out)
		}
		s := string(out)
		return s[len(s)-3:], s[:len(s)-3]
	}
	if code, body := run("-u", "prometheus:s3cret"); code != "200" || !strings.Contains(body, "netstat_tcp_connections") {
		t.Errorf("right password: HTTP %s\n%.300s", code, body)
	}
	if code, _ := run("-u", "prometheus:wrong"); code != "401" {
		t.Errorf("wrong password: HTTP %s, want 401", code)
	}
	if code, _ := run(); code != "401" {
		t.Errorf("no password: HTTP %s, want 401", code)
	}
	// Plain HTTP to the TLS port is refused.
	out, err := exec.Command(curl, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://"+addr+"/metrics").CombinedOutput()
	if err == nil && string(out) == "200" {
		t.Errorf("plain HTTP answered 200")
	}
}

// writeCert writes a self-signed certificate for 127.0.0.1 and its key into dir.
func writeCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "netstat serve test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{netip.MustParseAddr("127.0.0.1").AsSlice()},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, keyFile, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})))
	return certFile, keyFile
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestMaxRequests checks that scrapes beyond --web.max-requests are refused with 503
// at once while the others wait, and that a slot freed is usable again.
func TestMaxRequests(t *testing.T) {
	cfg := testConfig(t, "--web.max-requests=1", "--scrape.timeout=1s")
	src := enteringSource{entered: make(chan struct{}, 1)}
	h, err := newHandler(t.Context(), cfg, src, &sourcetest.Fake{}, noOwners, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	first := make(chan int, 1)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		first <- rec.Code
	}()
	// The first scrape holds the slot while its pass waits for the blocking source
	// (until its 1 s deadline); a second one meanwhile finds the slot taken.
	<-src.entered
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("scrape beside one in flight: status %d, want %d", rec.Code, http.StatusServiceUnavailable)
	}
	if c := <-first; c != 200 {
		t.Errorf("first scrape: status %d, want 200 (with success 0)", c)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Errorf("scrape after the first ended: status %d, want 200", rec.Code)
	}
}

// enteringSource is a blockingSource that says when a stream has begun.
type enteringSource struct{ entered chan struct{} }

func (e enteringSource) Stream(ctx context.Context, _ source.Query, _ source.Visit) (*source.Streamed, error) {
	select {
	case e.entered <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return nil, ctx.Err()
}
