// Package weblog implements `netstat weblog`: the cheat sheet's access-log recipes
// (top client addresses, top pages, largest downloads, slowest pages, traffic, status
// codes, Squid bytes per domain), each byte-identical to its awk|sort|uniq pipeline,
// plus crawlers and an all-in-one report, computed in one streaming pass over plain or
// gzip logs.
package weblog

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/netstat-go/netstat/internal/weblog/agg"
	"github.com/netstat-go/netstat/internal/weblog/input"
	"github.com/netstat-go/netstat/internal/weblog/logfmt"
	"github.com/netstat-go/netstat/internal/weblog/render"
)

// reportSpec describes one report: what it needs and its default head count.
type reportSpec struct {
	want     agg.Want
	top      int // default --top (0: all)
	respTime bool
	help     string
}

var reports = map[string]reportSpec{
	"top-ips":     {agg.WantIPs, 10, false, "requests per client address (awk '{print $1}' | sort | uniq -c | sort -nr | head -10)"},
	"top-urls":    {agg.WantURLs, 20, false, "requests per path ($7)"},
	"largest":     {agg.WantLargest, 20, false, `largest transfers: "$10 $1 $4 $7" | sort -nr`},
	"big":         {agg.WantBig, 100, false, "requests over --min-bytes, counted per path"},
	"slowest":     {agg.WantSlowest, 100, true, `slowest requests: "$NF $1 $4 $7" | sort -nr`},
	"slow":        {agg.WantSlow, 100, true, "requests over --over seconds, counted per path"},
	"traffic":     {agg.WantTraffic, 0, false, "total bytes sent, in GiB"},
	"status-list": {agg.WantStatusList, 0, false, `"$9 $7" of each request, sorted (with --status: the 404s)`},
	"status":      {agg.WantStatus, 0, false, "requests per status code"},
	"domains":     {agg.WantDomains, 0, false, "Squid: bytes per domain (CONNECT host:port under host), DOMAIN<TAB>BYTES"},
	"crawlers":    {agg.WantCrawlers, 20, false, "requests per crawler User-Agent (--ua; empty User-Agent counted)"},
	"report":      {agg.WantAll, 0, false, "every report in one pass: text, --json or --html FILE"},
}

var reportOrder = []string{"top-ips", "top-urls", "largest", "big", "slowest", "slow", "traffic", "status-list", "status", "domains", "crawlers", "report"}

// Reports returns the reports weblog knows, in the order its help gives them (shell
// completion offers them too).
func Reports() []string { return slices.Clone(reportOrder) }

const defaultBotUA = `(?i)bot|crawler|slurp|spider`

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: netstat weblog REPORT [OPTIONS] [FILE...]\n\n")
	fmt.Fprintf(w, "Reads access logs (plain or gzip; several files as one stream; none or - for standard input).\n\nReports:\n")
	for _, r := range reportOrder {
		fmt.Fprintf(w, "  %-12s %s\n", r, reports[r].help)
	}
	fmt.Fprintf(w, "\nOptions:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// topFlag is --top: unset (the recipe's head count) or a number of lines.
type topFlag struct {
	n   int
	set bool
}

func (t *topFlag) String() string {
	if t == nil || !t.set {
		return ""
	}
	return strconv.Itoa(t.n)
}

func (t *topFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("want a number of lines, 0 for all")
	}
	t.n, t.set = n, true
	return nil
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// options are the parsed command line.
type options struct {
	report     string
	files      []string
	topArg     topFlag
	top        int // -1 when --top is not given
	match      string
	minBytes   float64
	over       float64
	format     string
	logFormat  string
	timeUnit   string
	since      string
	until      string
	status     string
	ips        listFlag
	excludeIPs listFlag
	bots       string
	ua         string
	groups     listFlag
	json       bool
	html       string
	follow     bool
	interval   time.Duration
	workers    int
}

func newFlagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("weblog", flag.ContinueOnError)
	fs.Var(&o.topArg, "top", "lines to print (`N`; 0: all; default: the recipe's head count)")
	fs.StringVar(&o.match, "match", "", "keep requests whose path matches `REGEX`")
	fs.Float64Var(&o.minBytes, "min-bytes", 200000, "big: count requests with more than `N` bytes")
	fs.Float64Var(&o.over, "over", 30, "slow: count requests slower than `SECONDS`")
	fs.StringVar(&o.format, "format", "auto", "log format: auto, "+strings.Join(logfmt.BuiltinNames(), ", "))
	fs.StringVar(&o.logFormat, "log-format", "", "an Apache LogFormat or nginx log_format `STRING`")
	fs.StringVar(&o.timeUnit, "time-unit", "", "unit of the response-time field: s, ms or us (Apache %D)")
	fs.StringVar(&o.since, "since", "", "keep requests at or after `TIME` (2006-01-02[T15:04[:05]][Z07:00] or Unix seconds)")
	fs.StringVar(&o.until, "until", "", "keep requests before `TIME`")
	fs.StringVar(&o.status, "status", "", "keep status codes `LIST` (404,500 or 4xx)")
	fs.Var(&o.ips, "ip", "keep clients in `CIDR` (repeatable)")
	fs.Var(&o.excludeIPs, "exclude-ip", "drop clients in `CIDR` (repeatable)")
	fs.StringVar(&o.bots, "bots", "", "only|exclude requests of crawlers (see --ua)")
	fs.StringVar(&o.ua, "ua", defaultBotUA, "crawler User-Agent `REGEX`")
	fs.Var(&o.groups, "group", "fold paths matching `REGEX=NAME` into NAME (repeatable)")
	fs.BoolVar(&o.json, "json", false, "report: one JSON document")
	fs.StringVar(&o.html, "html", "", "report: write a self-contained HTML page to `FILE`")
	fs.BoolVar(&o.follow, "f", false, "follow a growing log (survives rotation) and reprint the report")
	fs.DurationVar(&o.interval, "interval", 2*time.Second, "with -f: reprint every `DURATION`")
	fs.IntVar(&o.workers, "workers", runtime.GOMAXPROCS(0), "parsing goroutines")
	return fs
}

// errUsage marks command-line errors (exit status 2).
var errUsage = errors.New("usage")

func parseArgs(args []string, stdout io.Writer) (*options, *flag.FlagSet, error) {
	o := &options{}
	fs := newFlagSet(o)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var pos []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage(stdout, fs)
				return nil, fs, flag.ErrHelp
			}
			return nil, fs, fmt.Errorf("%w: %v", errUsage, err)
		}
		rest = fs.Args()
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		rest = rest[1:]
		if pos[len(pos)-1] == "--" {
			pos = append(pos[:len(pos)-1], rest...)
			break
		}
	}
	if len(pos) == 0 {
		return nil, fs, fmt.Errorf("%w: missing REPORT", errUsage)
	}
	o.report, o.files = pos[0], pos[1:]
	o.top = -1
	if o.topArg.set {
		o.top = o.topArg.n
	}
	if o.report == "help" {
		usage(stdout, fs)
		return nil, fs, flag.ErrHelp
	}
	if _, ok := reports[o.report]; !ok {
		return nil, fs, fmt.Errorf("%w: unknown report %q", errUsage, o.report)
	}
	if len(o.files) == 0 {
		o.files = []string{"-"}
	}
	return o, fs, nil
}

// Run runs `netstat weblog` with args (after the subcommand name).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, _, err := parseArgs(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "netstat weblog: %v\n", strings.TrimPrefix(err.Error(), "usage: "))
		fmt.Fprintf(stderr, "Try 'netstat weblog --help' for more information.\n")
		return 2
	}
	cfg, err := o.config()
	if err != nil {
		fmt.Fprintf(stderr, "netstat weblog: %v\n", err)
		fmt.Fprintf(stderr, "Try 'netstat weblog --help' for more information.\n")
		return 2
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		defer debug.SetGCPercent(debug.SetGCPercent(gcPercent))
	}
	if err := run(ctx, o, cfg, stdin, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "netstat weblog: %v\n", err)
		return 1
	}
	return 0
}

// gcPercent is the garbage collector's GOGC during a run (unless GOGC is set). The
// heap holds the distinct keys and a few read buffers, not the lines, so it stays
// small, and at Go's default of 100 the collector runs several times while the tables
// grow, each time also scanning the big binary's globals: at 400, a report on 1M lines
// runs one collection or none, for a few MB more peak RSS. (--top 0 on largest or
// slowest keeps every line, and may then hold up to five times their size.)
const gcPercent = 400

func (o *options) config() (*agg.Config, error) {
	spec := reports[o.report]
	cfg := &agg.Config{Want: spec.want, MinBytes: o.minBytes}
	top := o.top
	if top < 0 {
		top = spec.top
	}
	if o.report == "report" {
		cfg.Want = agg.WantAll
		if o.top < 0 {
			top = 20
		}
	}
	cfg.LargestN, cfg.SlowestN = top, top
	var err error
	if o.match != "" {
		if cfg.Match, err = regexp.Compile(o.match); err != nil {
			return nil, fmt.Errorf("--match: %w", err)
		}
	}
	if cfg.BotRE, err = regexp.Compile(o.ua); err != nil {
		return nil, fmt.Errorf("--ua: %w", err)
	}
	switch o.bots {
	case "":
	case "only":
		cfg.Bots = agg.BotsOnly
	case "exclude":
		cfg.Bots = agg.BotsExclude
	default:
		return nil, fmt.Errorf("--bots %q: want only or exclude", o.bots)
	}
	if o.status != "" {
		for _, s := range strings.Split(o.status, ",") {
			s = strings.ToLower(strings.TrimSpace(s))
			ok := len(s) == 3 && (s[1:] == "xx" && s[0] >= '1' && s[0] <= '5' || strings.Trim(s, "0123456789") == "")
			if !ok {
				return nil, fmt.Errorf("--status %q: want codes like 404 or classes like 4xx", s)
			}
			cfg.Status = append(cfg.Status, s)
		}
	}
	for _, c := range o.ips {
		p, err := parsePrefix(c)
		if err != nil {
			return nil, fmt.Errorf("--ip: %w", err)
		}
		cfg.IPs = append(cfg.IPs, p)
	}
	for _, c := range o.excludeIPs {
		p, err := parsePrefix(c)
		if err != nil {
			return nil, fmt.Errorf("--exclude-ip: %w", err)
		}
		cfg.ExcludeIPs = append(cfg.ExcludeIPs, p)
	}
	for _, g := range o.groups {
		i := strings.LastIndex(g, "=")
		if i <= 0 || i == len(g)-1 {
			return nil, fmt.Errorf("--group %q: want REGEX=NAME", g)
		}
		re, err := regexp.Compile(g[:i])
		if err != nil {
			return nil, fmt.Errorf("--group: %w", err)
		}
		cfg.Groups = append(cfg.Groups, agg.Group{RE: re, Name: g[i+1:]})
	}
	if o.since != "" {
		if cfg.Since, err = parseWhen(o.since); err != nil {
			return nil, fmt.Errorf("--since: %w", err)
		}
		cfg.HasSince = true
	}
	if o.until != "" {
		if cfg.Until, err = parseWhen(o.until); err != nil {
			return nil, fmt.Errorf("--until: %w", err)
		}
		cfg.HasUntil = true
	}
	if o.html != "" && o.report != "report" || o.json && o.report != "report" {
		return nil, fmt.Errorf("--json and --html go with the report REPORT")
	}
	if o.timeUnit != "" {
		if _, err := logfmt.ParseUnit(o.timeUnit); err != nil {
			return nil, fmt.Errorf("--time-unit: %w", err)
		}
	}
	if o.follow && len(o.files) != 1 || o.follow && o.files[0] == "-" {
		return nil, fmt.Errorf("-f follows exactly one FILE")
	}
	return cfg, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an address or CIDR prefix", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func parseWhen(s string) (int64, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "02/Jan/2006:15:04:05 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Unix(), nil
		}
	}
	if n, ok := logfmt.ParseTime([]byte(s)); ok && strings.Trim(s, "0123456789.") == "" {
		return n, nil
	}
	return 0, fmt.Errorf("%q is not a time (2006-01-02, 2006-01-02T15:04:05Z07:00 or Unix seconds)", s)
}

// plan picks the log format: --log-format, --format, or detected from the sample.
func (o *options) plan(sample []byte) (*logfmt.Plan, error) {
	var p *logfmt.Plan
	var err error
	switch {
	case o.logFormat != "":
		p, err = logfmt.Compile(o.logFormat)
	case o.format != "auto":
		p, err = logfmt.Builtin(o.format)
	default:
		var lines [][]byte
		for _, l := range strings.SplitN(string(sample), "\n", 51)[:min(50, strings.Count(string(sample), "\n")+1)] {
			if l != "" {
				lines = append(lines, []byte(l))
			}
		}
		if len(lines) == 0 {
			return logfmt.Builtin(logfmt.Combined)
		}
		p, err = logfmt.Detect(lines)
	}
	if err != nil {
		return nil, err
	}
	if o.timeUnit != "" {
		u, _ := logfmt.ParseUnit(o.timeUnit)
		p = p.WithUnit(u)
	}
	return p, nil
}

func openAll(files []string, stdin io.Reader) ([]*input.Source, error) {
	var srcs []*input.Source
	for _, f := range files {
		s, err := input.Open(f, stdin)
		if err != nil {
			for _, s := range srcs {
				s.Close()
			}
			return nil, err
		}
		srcs = append(srcs, s)
	}
	return srcs, nil
}

func run(ctx context.Context, o *options, cfg *agg.Config, stdin io.Reader, stdout, stderr io.Writer) error {
	if o.follow {
		return follow(ctx, o, cfg, stdout, stderr)
	}
	srcs, err := openAll(o.files, stdin)
	if err != nil {
		return err
	}
	defer func() {
		for _, s := range srcs {
			s.Close()
		}
	}()
	sample, err := srcs[0].Sample(64 << 10)
	if err != nil {
		return err
	}
	plan, err := o.plan(sample)
	if err != nil {
		return err
	}
	if err := checkPlan(o, plan, cfg); err != nil {
		return err
	}
	plan = plan.Needing(cfg.Fields())
	var total int64
	for _, s := range srcs {
		total += s.Size
	}
	set, st, err := scan(ctx, srcs, plan, cfg, o.workers, progressFunc(stderr, total))
	if err != nil {
		return err
	}
	reportMalformed(stderr, st)
	return o.output(set, st, plan, stdout)
}

// checkPlan fits the configuration to the format: a response-time report on a log
// without response times is an error, and thresholds move to the log's time unit.
func checkPlan(o *options, plan *logfmt.Plan, cfg *agg.Config) error {
	if reports[o.report].respTime && !plan.HasRespTime() {
		return fmt.Errorf("%s needs a response-time field, and the %s log format has none (a trailing $request_time: --format combined-time; Apache %%D: --log-format '... %%D' --time-unit us)", o.report, plan.Name())
	}
	cfg.Unit = plan.Unit()
	switch plan.Unit() {
	case logfmt.Milliseconds:
		cfg.Over = o.over * 1e3
	case logfmt.Microseconds:
		cfg.Over = o.over * 1e6
	default:
		cfg.Over = o.over
	}
	return nil
}

func reportMalformed(w io.Writer, st Stats) {
	if st.Malformed == 0 {
		return
	}
	var at []string
	for _, b := range st.FirstBad {
		at = append(at, fmt.Sprintf("%s:%d", b.Source, b.Line))
	}
	msg := ""
	if len(st.FirstBad) > 0 {
		msg = fmt.Sprintf("; first: %v", st.FirstBad[0].Err)
	}
	fmt.Fprintf(w, "netstat weblog: %d of %d lines malformed and skipped (at %s%s)%s\n",
		st.Malformed, st.Lines, strings.Join(at, ", "), map[bool]string{true: ", ...", false: ""}[st.Malformed > uint64(len(at))], msg)
}

func (o *options) output(set *agg.Set, st Stats, plan *logfmt.Plan, w io.Writer) error {
	top := o.top
	if top < 0 {
		top = reports[o.report].top
	}
	switch o.report {
	case "top-ips":
		return render.UniqCounts(w, set.IPs.ByUniqCount(top), top)
	case "top-urls":
		return render.UniqCounts(w, set.URLs.ByUniqCount(top), top)
	case "largest":
		return render.Lines(w, set.Largest.Lines(), top)
	case "slowest":
		return render.Lines(w, set.Slowest.Lines(), top)
	case "big":
		return render.UniqCounts(w, set.Big.ByUniqCount(top), top)
	case "slow":
		return render.UniqCounts(w, set.Slow.ByUniqCount(top), top)
	case "traffic":
		return render.Traffic(w, set.Bytes)
	case "status-list":
		return render.Repeated(w, agg.SortByKey(set.StatusList()), top)
	case "status":
		return render.UniqCounts(w, set.Status.ByUniqCount(top), top)
	case "domains":
		return render.Domains(w, set.Domains.BySum(top), top)
	case "crawlers":
		return render.UniqCounts(w, set.Crawlers.ByUniqCount(top), top)
	}
	if o.top < 0 {
		top = 20
	}
	sum := render.Summarize(set, render.Meta{
		Format: plan.Name(), Lines: st.Lines, Malformed: st.Malformed, Bytes: st.Bytes,
		HasRespTime: plan.HasRespTime(), Top: top, Files: o.files,
	})
	switch {
	case o.json:
		return render.JSON(w, sum)
	case o.html != "":
		f, err := os.Create(o.html)
		if err != nil {
			return err
		}
		if err := render.HTML(f, sum); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return render.Text(w, sum)
}
