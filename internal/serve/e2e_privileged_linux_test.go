//go:build linux

package serve

import (
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/netstat-go/netstat/internal/nstest"
)

// ssStates maps ss's state names to the state label.
var ssStates = map[string]string{
	"ESTAB": "established", "SYN-SENT": "syn_sent", "SYN-RECV": "syn_recv",
	"FIN-WAIT-1": "fin_wait1", "FIN-WAIT-2": "fin_wait2", "TIME-WAIT": "time_wait",
	"UNCONN": "close", "CLOSE-WAIT": "close_wait", "LAST-ACK": "last_ack",
	"LISTEN": "listen", "CLOSING": "closing",
}

// TestPrometheusEndToEndPrivileged builds a known population in a fresh network
// namespace A, runs `netstat serve` there, has a real Prometheus server in namespace B
// (joined to A by a veth pair) scrape it, and checks that PromQL answers exactly what
// ss reports in A: connections per state, per listening port and state, accept queues
// and their limits, TIME_WAIT peers. Besides the population, A holds only netstat
// serve's listener and Prometheus' keep-alive scrape connection, which both reads see.
// It ends netstat serve with SIGTERM and expects a clean exit.
func TestPrometheusEndToEndPrivileged(t *testing.T) {
	nstest.RequireRoot(t)
	prometheus := nstest.RequireTool(t, "prometheus")
	promtool := nstest.RequireTool(t, "promtool")
	curl := nstest.RequireTool(t, "curl")
	nstest.RequireTool(t, "ss")
	bin := buildNetstat(t)
	t.Logf("built %s", bin)

	tag := strconv.Itoa(os.Getpid() % 100000)
	nsA, nsB := "servea"+tag, "serveb"+tag
	addNetns(t, nsA)
	addNetns(t, nsB)
	vethA, vethB := "sva"+tag, "svb"+tag
	run(t, "ip", "link", "add", vethA, "netns", nsA, "type", "veth", "peer", "name", vethB, "netns", nsB)
	run(t, "ip", "-n", nsA, "addr", "add", "10.201.0.1/24", "dev", vethA)
	run(t, "ip", "-n", nsB, "addr", "add", "10.201.0.2/24", "dev", vethB)
	run(t, "ip", "-n", nsA, "link", "set", vethA, "up")
	run(t, "ip", "-n", nsB, "link", "set", vethB, "up")

	// The population, made from this thread moved into A.
	fd, err := unix.Open("/run/netns/"+nsA, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	nstest.Join(t, fd)
	buildPopulation(t)
	built := time.Now()

	dir := t.TempDir()
	serveLog, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer serveLog.Close()
	serve := exec.Command("ip", "netns", "exec", nsA, bin, "serve", "--web.listen-address=10.201.0.1:10419", "--scrape.timeout=5s")
	serve.Stdout, serve.Stderr = serveLog, serveLog
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- serve.Wait() }()
	defer func() {
		if serve.ProcessState == nil {
			serve.Process.Kill()
		}
	}()

	cfg := filepath.Join(dir, "prometheus.yml")
	writeFile(t, cfg, `global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: netstat
    static_configs:
      - targets: ['10.201.0.1:10419']
`)
	promLog, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer promLog.Close()
	prom := exec.Command("ip", "netns", "exec", nsB, prometheus, "--config.file="+cfg,
		"--storage.tsdb.path="+filepath.Join(dir, "tsdb"), "--web.listen-address=127.0.0.1:9090")
	prom.Stdout, prom.Stderr = promLog, promLog
	if err := prom.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		prom.Process.Signal(syscall.SIGTERM)
		prom.Wait()
	}()
	query := func(q string) map[string]float64 {
		t.Helper()
		out, err := exec.Command("ip", "netns", "exec", nsB, curl, "-sS", "--fail",
			"http://127.0.0.1:9090/api/v1/query?query="+url.QueryEscape(q)).CombinedOutput()
		if err != nil {
			t.Logf("query %s: %v: %s", q, err, out)
			return nil
		}
		return vectorResult(t, out)
	}

	// Wait for a sample scraped after the population was built.
	deadline := time.Now().Add(60 * time.Second)
	for {
		ts := query(`max(timestamp(netstat_tcp_connections{state="listen"}))`)
		if v, ok := ts[""]; ok && v > float64(built.UnixMilli())/1000+0.5 {
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(promLog.Name())
			slog, _ := os.ReadFile(serveLog.Name())
			t.Fatalf("no scrape after the population in 60 s (up: %v)\nprometheus:\n%s\nserve:\n%s", query("up"), log, slog)
		}
		time.Sleep(300 * time.Millisecond)
	}
	ss := ssCounts(t, nsA)

	got := query(`netstat_tcp_connections`)
	if diff := cmp.Diff(ss.states, got); diff != "" {
		t.Errorf("netstat_tcp_connections by state (-ss +prometheus):\n%s", diff)
	}
	if got := query(`netstat_tcp_port_connections > 0`); !cmp.Equal(ss.ports, got) {
		t.Errorf("netstat_tcp_port_connections (-ss +prometheus):\n%s", cmp.Diff(ss.ports, got))
	}
	if got := query(`netstat_tcp_listen_queue_length`); !cmp.Equal(ss.queues, got) {
		t.Errorf("netstat_tcp_listen_queue_length (-ss +prometheus):\n%s", cmp.Diff(ss.queues, got))
	}
	if got := query(`netstat_tcp_listen_queue_limit`); !cmp.Equal(ss.limits, got) {
		t.Errorf("netstat_tcp_listen_queue_limit (-ss +prometheus):\n%s", cmp.Diff(ss.limits, got))
	}
	if got := query(`netstat_tcp_peer_connections{state="time_wait"}`); !cmp.Equal(ss.timeWaitPeers, got) {
		t.Errorf("netstat_tcp_peer_connections time_wait (-ss +prometheus):\n%s", cmp.Diff(ss.timeWaitPeers, got))
	}
	// The population itself, as built: a check on ss as much as on us.
	for k, want := range map[string]float64{"7001,established": 5, "7003,close_wait": 3, "7004,time_wait": 4, "7005,established": 2} {
		if ss.ports[k] != want {
			t.Errorf("ss: port,state %s = %v, want %v as built", k, ss.ports[k], want)
		}
	}
	if got := query(`sum(netstat_scrape_collector_success)`); got[""] != 5 {
		t.Errorf("collectors succeeding: %v, want 5", got)
	}

	// promtool over the real output.
	out, err := exec.Command("ip", "netns", "exec", nsB, curl, "-sS", "--fail", "http://10.201.0.1:10419/metrics").Output()
	if err != nil {
		t.Fatalf("curl /metrics: %v", err)
	}
	checkMetrics(t, promtool, out)

	// SIGTERM: a clean exit.
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-serveDone:
		if err != nil {
			log, _ := os.ReadFile(serveLog.Name())
			t.Errorf("netstat serve after SIGTERM: %v\n%s", err, log)
		}
	case <-time.After(10 * time.Second):
		t.Error("netstat serve still running 10 s after SIGTERM")
	}
}

// buildPopulation makes, in the calling thread's network namespace: a listener on
// 127.0.0.1:7001 with 5 accepted connections; one on 7002 with backlog 2 and 2
// connections left in its accept queue; one on 7003 whose 3 accepted connections the
// clients closed (CLOSE_WAIT, FIN_WAIT2); one on 7004 whose 4 connections the server
// closed first (TIME_WAIT); one on [::1]:7005 with 2 connections.
func buildPopulation(t *testing.T) {
	t.Helper()
	listen := func(network, addr string) net.Listener {
		l, err := net.Listen(network, addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		return l
	}
	keep := func(c net.Conn) { t.Cleanup(func() { c.Close() }) }
	connect := func(l net.Listener, n int) (clients, servers []net.Conn) {
		for range n {
			c, err := net.Dial(l.Addr().Network(), l.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			s, err := l.Accept()
			if err != nil {
				t.Fatal(err)
			}
			clients, servers = append(clients, c), append(servers, s)
		}
		return clients, servers
	}
	cs, ss := connect(listen("tcp4", "127.0.0.1:7001"), 5)
	for i := range cs {
		keep(cs[i])
		keep(ss[i])
	}
	// 7002: backlog 2 by raw system calls (Go's net uses somaxconn), never accepted.
	lfd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(lfd) })
	if err := unix.Bind(lfd, &unix.SockaddrInet4{Port: 7002, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(lfd, 2); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		c, err := net.Dial("tcp4", "127.0.0.1:7002")
		if err != nil {
			t.Fatal(err)
		}
		keep(c)
	}
	cs, ss = connect(listen("tcp4", "127.0.0.1:7003"), 3)
	for i := range cs {
		cs[i].Close()
		keep(ss[i])
	}
	l4 := listen("tcp4", "127.0.0.1:7004")
	cs, ss = connect(l4, 4)
	for i := range cs {
		ss[i].Close()
		// Wait for the FIN, then close: the server side goes to TIME_WAIT.
		cs[i].SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := cs[i].Read(make([]byte, 1)); err == nil {
			t.Fatal("read data, want EOF")
		}
		cs[i].Close()
	}
	cs, ss = connect(listen("tcp6", "[::1]:7005"), 2)
	for i := range cs {
		keep(cs[i])
		keep(ss[i])
	}
	// Let the last FINs land.
	time.Sleep(300 * time.Millisecond)
}

// ssReport is what ss says about namespace, keyed as vectorResult keys Prometheus'
// answers: label values joined by ",", in label-name order.
type ssReport struct {
	states        map[string]float64 // state
	ports         map[string]float64 // port,state (non-zero only)
	queues        map[string]float64 // address,port
	limits        map[string]float64 // address,port
	timeWaitPeers map[string]float64 // address,state
}

// ssCounts runs `ss -Htan` in the namespace and tallies it.
func ssCounts(t *testing.T, ns string) ssReport {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "ss", "-Htan").Output()
	if err != nil {
		t.Fatalf("ss: %v", err)
	}
	r := ssReport{states: map[string]float64{}, ports: map[string]float64{}, queues: map[string]float64{}, limits: map[string]float64{}, timeWaitPeers: map[string]float64{}}
	for _, st := range ssStates {
		r.states[st] = 0
	}
	type row struct{ state, local, peer, recvq, sendq string }
	var rows []row
	listening := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		rw := row{state: ssStates[f[0]], recvq: f[1], sendq: f[2], local: f[3], peer: f[4]}
		if rw.state == "" {
			t.Fatalf("ss state %q unknown", f[0])
		}
		rows = append(rows, rw)
		if rw.state == "listen" {
			listening[port(rw.local)] = true
		}
	}
	for _, rw := range rows {
		r.states[rw.state]++
		if listening[port(rw.local)] {
			r.ports[port(rw.local)+","+rw.state]++
		}
		if rw.state == "listen" {
			key := host(rw.local) + "," + port(rw.local)
			q, _ := strconv.ParseFloat(rw.recvq, 64)
			l, _ := strconv.ParseFloat(rw.sendq, 64)
			r.queues[key] += q
			r.limits[key] += l
		}
		if rw.state == "time_wait" {
			r.timeWaitPeers[host(rw.peer)+","+rw.state]++
		}
	}
	return r
}

func port(hostport string) string { return hostport[strings.LastIndexByte(hostport, ':')+1:] }

func host(hostport string) string {
	h := hostport[:strings.LastIndexByte(hostport, ':')]
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimPrefix(h, "::ffff:")
}

// vectorResult decodes a Prometheus instant-vector (or scalar-free) answer into
// label values (without __name__, instance, job; joined by "," in label-name order)
// to value.
func vectorResult(t *testing.T, body []byte) map[string]float64 {
	t.Helper()
	var resp struct {
		Status string
		Data   struct {
			Result []struct {
				Metric map[string]string
				Value  [2]any
			}
		}
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("decoding %s: %v", body, err)
	}
	out := map[string]float64{}
	for _, r := range resp.Data.Result {
		var names []string
		for k := range r.Metric {
			if k != "__name__" && k != "instance" && k != "job" {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		var vals []string
		for _, k := range names {
			vals = append(vals, r.Metric[k])
		}
		v, err := strconv.ParseFloat(fmt.Sprint(r.Value[1]), 64)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.Join(vals, ",")] = v
	}
	return out
}

// buildNetstat builds the netstat binary into a temporary directory.
func buildNetstat(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "netstat")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/netstat-go/netstat/cmd/netstat")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// addNetns creates a named network namespace with loopback up, deleted when t ends.
func addNetns(t *testing.T, name string) {
	t.Helper()
	run(t, "ip", "netns", "add", name)
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v\n%s", name, err, out)
		}
	})
	run(t, "ip", "-n", name, "link", "set", "lo", "up")
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}
