package serve

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// defaultListenAddress is loopback only: socket metadata says who talks to whom, so
// exposing it beyond the host is the operator's decision. Port 10419 lies outside
// Prometheus' exporter range 9100-9999, which is fully allocated.
const defaultListenAddress = "127.0.0.1:10419"

// collectorNames are the collectors in the order they run; defaultOff are those off
// unless asked for.
var (
	collectorNames = []string{"tcp", "ports", "listen", "peers", "process", "snmp"}
	defaultOff     = map[string]bool{"process": true}
)

// collectorHelp says what each collector exports.
var collectorHelp = map[string]string{
	"tcp":     "TCP sockets per state (netstat_tcp_connections)",
	"ports":   "TCP sockets per listening port and state (netstat_tcp_port_connections)",
	"listen":  "accept queues of TCP listeners (netstat_tcp_listen_queue_length, _limit)",
	"peers":   "top remote addresses in syn_recv and time_wait (netstat_tcp_peer_connections)",
	"process": "TCP sockets per program and state (netstat_process_sockets); scans every process's open files, cached between scrapes",
	"snmp":    "the kernel's protocol counters of netstat -s (netstat_snmp_*)",
}

// config is the parsed command line.
type config struct {
	listenAddresses []string
	webConfigFile   string
	telemetryPath   string
	scrapeTimeout   time.Duration
	maxRequests     int
	portsMax        int
	listenMax       int
	peersTop        int
	processMax      int
	// processScanInterval is how often, at most, the process collector rescans /proc
	// for the owners of new sockets.
	processScanInterval time.Duration
	enabled             map[string]bool
	logLevelName        string
	logLevel            slog.Level
}

// errHelp is returned by parseFlags for -h and --help.
var errHelp = errors.New("help requested")

// flagSet defines the flags of `netstat serve` over cfg; set records the collectors
// turned on or off by name and disableDefaults --collector.disable-defaults.
func flagSet(cfg *config, set map[string]bool, disableDefaults *bool) *flag.FlagSet {
	fs := flag.NewFlagSet("netstat serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Func("web.listen-address", "`address` to serve metrics and the landing page on; repeat for several (default "+defaultListenAddress+")", func(s string) error {
		cfg.listenAddresses = append(cfg.listenAddresses, s)
		return nil
	})
	fs.StringVar(&cfg.webConfigFile, "web.config.file", "", "`path` of an exporter-toolkit web configuration file that enables TLS or basic authentication")
	fs.StringVar(&cfg.telemetryPath, "web.telemetry-path", "/metrics", "`path` under which metrics are served")
	fs.DurationVar(&cfg.scrapeTimeout, "scrape.timeout", 10*time.Second, "deadline of one scrape (`duration`); Prometheus' X-Prometheus-Scrape-Timeout-Seconds lowers it")
	fs.IntVar(&cfg.maxRequests, "web.max-requests", 40, "at most this many scrapes served at once (`n`); more are refused with 503; 0 for no limit")
	fs.IntVar(&cfg.portsMax, "collector.ports.max", 64, "at most this many listening `ports` in netstat_tcp_port_connections; the rest are summed as port=\"other\"")
	fs.IntVar(&cfg.listenMax, "collector.listen.max", 64, "at most this many `listeners` in netstat_tcp_listen_queue_*; the rest are summed as address=\"other\"")
	fs.IntVar(&cfg.peersTop, "collector.peers.top", 10, "the top `n` remote addresses per state in netstat_tcp_peer_connections; 0 turns the collector off")
	fs.IntVar(&cfg.processMax, "collector.process.max", 32, "at most this many `programs` in netstat_process_sockets; the rest are summed as program=\"other\"")
	fs.DurationVar(&cfg.processScanInterval, "collector.process.scan-interval", 30*time.Second, "rescan every process's open files for the owners of new sockets at most this often (`duration`); a socket opened since the last scan is counted from the next one on; 0 scans at every scrape")
	fs.StringVar(&cfg.logLevelName, "log.level", "info", "log `level`: debug, info, warn or error")
	fs.BoolVar(disableDefaults, "collector.disable-defaults", false, "turn every collector off unless --collector.NAME turns it on")
	for _, name := range collectorNames {
		state := "on"
		if defaultOff[name] {
			state = "off"
		}
		fs.BoolFunc("collector."+name, fmt.Sprintf("turn on the %s collector: %s (default %s)", name, collectorHelp[name], state), func(s string) error {
			v, err := strconv.ParseBool(s)
			if err != nil {
				return err
			}
			set[name] = v
			return nil
		})
		fs.BoolFunc("no-collector."+name, "turn off the "+name+" collector", func(s string) error {
			v, err := strconv.ParseBool(s)
			if err != nil {
				return err
			}
			set[name] = !v
			return nil
		})
	}
	return fs
}

// parseFlags parses the arguments of `netstat serve`.
func parseFlags(args []string) (*config, error) {
	cfg := &config{enabled: map[string]bool{}}
	set := map[string]bool{}
	disableDefaults := false
	fs := flagSet(cfg, set, &disableDefaults)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if len(cfg.listenAddresses) == 0 {
		cfg.listenAddresses = []string{defaultListenAddress}
	}
	if !strings.HasPrefix(cfg.telemetryPath, "/") || cfg.telemetryPath == "/" {
		return nil, fmt.Errorf("--web.telemetry-path %q: want a path below / such as /metrics", cfg.telemetryPath)
	}
	if err := cfg.logLevel.UnmarshalText([]byte(cfg.logLevelName)); err != nil {
		return nil, fmt.Errorf("--log.level %q: want debug, info, warn or error", cfg.logLevelName)
	}
	if cfg.maxRequests < 0 {
		return nil, fmt.Errorf("--web.max-requests %d: want 0 or more", cfg.maxRequests)
	}
	if cfg.processScanInterval < 0 {
		return nil, fmt.Errorf("--collector.process.scan-interval %v: want 0 or a positive duration", cfg.processScanInterval)
	}
	if cfg.scrapeTimeout <= 0 {
		return nil, fmt.Errorf("--scrape.timeout %v: want a positive duration", cfg.scrapeTimeout)
	}
	for flagName, v := range map[string]int{"collector.ports.max": cfg.portsMax, "collector.listen.max": cfg.listenMax, "collector.peers.top": cfg.peersTop, "collector.process.max": cfg.processMax} {
		if v < 0 || v > 10000 {
			return nil, fmt.Errorf("--%s %d: want 0 to 10000", flagName, v)
		}
	}
	for _, name := range collectorNames {
		on, ok := set[name]
		if !ok {
			on = !disableDefaults && !defaultOff[name]
		}
		cfg.enabled[name] = on
	}
	if cfg.peersTop == 0 {
		cfg.enabled["peers"] = false
	}
	return cfg, nil
}

// usage is the --help text.
func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: netstat serve [flags]

Serves Prometheus metrics about this host's TCP sockets and kernel protocol counters:
connections per state, per listening port, accept queues, the busiest SYN_RECV and
TIME_WAIT peers, sockets per program and the counters of netstat -s. Listens on
loopback unless told otherwise. See docs/serve.md for metrics and series counts.

Flags:
`)
	var disableDefaults bool
	fs := flagSet(&config{}, map[string]bool{}, &disableDefaults)
	fs.SetOutput(w)
	fs.PrintDefaults()
}
