// Package serve is `netstat serve`: a Prometheus exporter of the host's TCP sockets
// (per state, per listening port, accept queues, SYN_RECV and TIME_WAIT peers, per
// program) and of the kernel's protocol counters. Each group of metrics is a collector
// in its own file; every scrape shares one pass over the sockets (see pass) among its
// collectors and with the scrapes that arrive while it runs (see shared). The HTTP
// side (TLS, basic authentication, the flags' names) is the Prometheus
// exporter-toolkit's.
package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/netstat-go/netstat/internal/source"
)

// Run is the entry point of `netstat serve`. It serves until ctx is cancelled
// (SIGTERM, SIGINT) and returns 0 then; it returns 1 when it cannot start (a bad
// --web.config.file, an address in use) or the server fails, 2 on a usage error.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args)
	if errors.Is(err, errHelp) {
		usage(stdout)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "netstat serve: %v\nTry 'netstat serve --help' for more information.\n", err)
		return 2
	}
	src := source.NewLive(source.LiveOptions{})
	defer src.Close()
	if err := serve(ctx, cfg, src, src, src.ScanHolders, stderr); err != nil {
		fmt.Fprintf(stderr, "netstat serve: %v\n", err)
		return 1
	}
	return 0
}

// serve checks the web configuration, listens on every address and serves until ctx
// ends. Errors at start are returned before anything is served.
func serve(ctx context.Context, cfg *config, src source.Streamer, csrc source.CounterSource, scan ownerScan, stderr io.Writer) error {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	if err := web.Validate(cfg.webConfigFile); err != nil {
		return fmt.Errorf("--web.config.file %s: %w", cfg.webConfigFile, err)
	}
	handler, err := newHandler(ctx, cfg, src, csrc, scan, logger)
	if err != nil {
		return err
	}
	listeners := make([]net.Listener, 0, len(cfg.listenAddresses))
	defer func() {
		for _, l := range listeners {
			l.Close() // already closed by Shutdown when serving started
		}
	}()
	for _, addr := range cfg.listenAddresses {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("--web.listen-address: %w", err)
		}
		listeners = append(listeners, l)
	}
	server := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		// Failed TLS handshakes and the like are the client's business: debug level.
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	systemd := false
	flags := &web.FlagConfig{
		WebListenAddresses: &cfg.listenAddresses,
		WebSystemdSocket:   &systemd,
		WebConfigFile:      &cfg.webConfigFile,
	}
	errc := make(chan error, 1)
	go func() { errc <- web.ServeMultiple(listeners, server, flags, logger) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := server.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", err)
	}
	return nil
}

// newHandler returns the HTTP handler: the landing page at / and the metrics at the
// telemetry path. Passes over the sockets run under base, which ends with the server.
func newHandler(base context.Context, cfg *config, src source.Streamer, csrc source.CounterSource, scan ownerScan, logger *slog.Logger) (http.Handler, error) {
	exp := newExporter(base, cfg, src, csrc, scan, time.Now, logger)
	// The exporter's own health, served beside every scrape.
	self := prometheus.NewRegistry()
	self.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	landing, err := web.NewLandingPage(web.LandingConfig{
		Name:        "netstat serve",
		Description: "Prometheus exporter of TCP sockets and kernel protocol counters (netstat-go)",
		Links:       []web.LandingLinks{{Address: cfg.telemetryPath, Text: "Metrics"}},
		RoutePrefix: "/",
	})
	if err != nil {
		return nil, fmt.Errorf("landing page: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", landing)
	h := &metricsHandler{exp: exp, self: self, timeout: cfg.scrapeTimeout, log: logger}
	if cfg.maxRequests > 0 {
		h.inFlight = make(chan struct{}, cfg.maxRequests)
	}
	mux.Handle(cfg.telemetryPath, h)
	return mux, nil
}

// metricsHandler serves one scrape: a registry of the exporter bound to it, beside the
// exporter's own Go and process metrics.
type metricsHandler struct {
	exp     *exporter
	self    prometheus.Gatherer
	timeout time.Duration
	log     *slog.Logger
	// inFlight, when not nil, holds a token per scrape being served: a scrape that
	// finds it full is refused with 503, so that scrapes piling up on a starved
	// machine cannot grow the memory without bound.
	inFlight chan struct{}
}

// ServeHTTP implements http.Handler.
func (h *metricsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := h.exp.now()
	if h.inFlight != nil {
		select {
		case h.inFlight <- struct{}{}:
			defer func() { <-h.inFlight }()
		default:
			h.log.Warn("scrape refused: too many in flight", "max", cap(h.inFlight))
			http.Error(w, fmt.Sprintf("%d scrapes in flight already (--web.max-requests)", cap(h.inFlight)), http.StatusServiceUnavailable)
			return
		}
	}
	timeout := h.timeout
	if v := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds"); v != "" {
		if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
			timeout = min(timeout, time.Duration(s*float64(time.Second)))
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	reg := prometheus.NewRegistry()
	if err := reg.Register(h.exp.forScrape(ctx, arrived)); err != nil {
		h.log.Error("registering the collectors", "err", err)
		http.Error(w, "registering the collectors: "+err.Error(), http.StatusInternalServerError)
		return
	}
	promhttp.HandlerFor(prometheus.Gatherers{h.self, reg}, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(h.log.Handler(), slog.LevelError),
		ErrorHandling: promhttp.ContinueOnError,
	}).ServeHTTP(w, r)
}
