package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// runStatistics is netstat -s (§7): the IPv4 report for the family list "inet" (the
// default), the IPv6 report for "inet6", and for any other list the "No statistics
// support" message on stdout with status 1. The report is printed once (-c does not
// repeat it) and the status is 0 even when a file is missing.
func (e *env) runStatistics(ctx context.Context, c *Config) int {
	sw := textfmt.StatSwitches{Raw: c.Raw > 0, TCP: c.TCP > 0, UDP: c.UDP > 0, SCTP: c.SCTP > 0}
	if c.TCP+c.SCTP+c.UDP+c.UDPLite+c.Raw == 0 {
		// No protocol switch given: all are on (Parse normally did this already).
		sw = textfmt.StatSwitches{Raw: true, TCP: true, UDP: true, SCTP: true}
	}
	families := strings.Join(c.Families, ",")
	if families == "" {
		families = "inet"
	}
	var out statsOut = textStats{e}
	if c.Ext.Format != "" {
		out = e.machineStats(c) // netstat-go machine output (format_tables.go)
	}
	switch families {
	case "inet":
		e.statsIPv4(ctx, sw, out)
	case "inet6":
		e.statsIPv6(ctx, sw, out)
	default:
		out.notice(fmt.Sprintf("netstat: No statistics support for specified address family: %s\n", families))
		return 1
	}
	return 0
}

// statsOut receives the -s report.
type statsOut interface {
	// notice is a message net-tools prints on stdout; machine output sends it to
	// stderr.
	notice(msg string)
	// ipv4 gets the sections of /proc/net/snmp, /proc/net/netstat and
	// /proc/net/sctp/snmp (nil when /proc/net/snmp could not be opened).
	ipv4(sw textfmt.StatSwitches, secs []netstat.CounterSection)
	// ipv6 gets the sections of /proc/net/snmp6 and /proc/net/snmp (nil for a file
	// that could not be read).
	ipv6(sw textfmt.StatSwitches, snmp6, snmp []netstat.CounterSection)
}

// textStats prints net-tools' report.
type textStats struct{ e *env }

func (t textStats) notice(msg string) { t.e.stdout.WriteString(msg) }

func (t textStats) ipv4(sw textfmt.StatSwitches, secs []netstat.CounterSection) {
	t.e.stdout.Write(textfmt.AppendStatsIPv4(nil, sw, secs))
}

func (t textStats) ipv6(sw textfmt.StatSwitches, snmp6, snmp []netstat.CounterSection) {
	t.e.stdout.Write(textfmt.AppendStatsIPv6(nil, sw, snmp6, snmp))
}

// statsIPv4 is net-tools' parsesnmp: /proc/net/snmp (required), /proc/net/netstat and
// /proc/net/sctp/snmp (each only if it can be opened).
func (e *env) statsIPv4(ctx context.Context, sw textfmt.StatSwitches, out statsOut) {
	c := e.tables().ReadCounters(ctx)
	if source.IsOpen(c.SNMP.Err) {
		fmt.Fprintf(e.stderr, "cannot open /proc/net/snmp: %s\n", textfmt.Strerror(c.SNMP.Err))
		out.ipv4(sw, nil) // nothing in net-tools' text
		return
	}
	secs := c.SNMP.Sections
	e.snmpError("/proc/net/snmp", c.SNMP.Err, true)
	if !source.IsOpen(c.Netstat.Err) {
		e.snmpError("/proc/net/netstat", c.Netstat.Err, true)
		secs = append(secs, c.Netstat.Sections...)
	}
	if !source.IsOpen(c.SCTP.Err) {
		e.snmpError("/proc/net/sctp/snmp", c.SCTP.Err, false)
		secs = append(secs, c.SCTP.Sections...)
	}
	out.ipv4(sw, secs)
}

// statsIPv6 is net-tools' parsesnmp6: /proc/net/snmp6, then the Tcp section of
// /proc/net/snmp. A malformed /proc/net/snmp goes unreported here, as in net-tools.
func (e *env) statsIPv6(ctx context.Context, sw textfmt.StatSwitches, out statsOut) {
	c := e.tables().ReadCounters(ctx)
	if source.IsOpen(c.SNMP6.Err) {
		fmt.Fprintf(e.stderr, "cannot open /proc/net/snmp6: %s\n", textfmt.Strerror(c.SNMP6.Err))
		out.ipv6(sw, nil, nil) // nothing in net-tools' text
		return
	}
	e.snmpError("/proc/net/snmp6", c.SNMP6.Err, false)
	if source.IsOpen(c.SNMP.Err) {
		fmt.Fprintf(e.stderr, "cannot open /proc/net/snmp: %s\n", textfmt.Strerror(c.SNMP.Err))
	} else {
		e.snmpError("/proc/net/snmp", c.SNMP.Err, false)
	}
	out.ipv6(sw, c.SNMP6.Sections, c.SNMP.Sections)
}

// snmpError reports a parse or read error of a counter file as net-tools does: its
// "Problem while parsing" line when format problems are reported, perror(path) for a
// read error.
func (e *env) snmpError(path string, err error, reportFormat bool) {
	switch {
	case err == nil:
	case errors.Is(err, source.ErrCounterFormat):
		if reportFormat {
			fmt.Fprintf(e.stderr, "Problem while parsing %s\n", path)
		}
	default:
		fmt.Fprintf(e.stderr, "%s: %s\n", path, textfmt.Strerror(cause(err)))
	}
}
