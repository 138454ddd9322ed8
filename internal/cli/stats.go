package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/netstat-go/netstat/internal/procnet"
	"github.com/netstat-go/netstat/internal/textfmt"
	"github.com/netstat-go/netstat/netstat"
)

// runStatistics is netstat -s (§7): the IPv4 report for the family list "inet" (the
// default), the IPv6 report for "inet6", and for any other list the "No statistics
// support" message on stdout with status 1. The report is printed once (-c does not
// repeat it) and the status is 0 even when a file is missing.
func (e *env) runStatistics(c *Config) int {
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
		e.statsIPv4(sw, out)
	case "inet6":
		e.statsIPv6(sw, out)
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
func (e *env) statsIPv4(sw textfmt.StatSwitches, out statsOut) {
	f, err := e.proc.Open("net/snmp")
	if err != nil {
		fmt.Fprintf(e.stderr, "cannot open /proc/net/snmp: %s\n", textfmt.Strerror(err))
		out.ipv4(sw, nil) // nothing in net-tools' text
		return
	}
	secs, err := procnet.ParseSNMP(f)
	f.Close()
	e.snmpError("/proc/net/snmp", err, true)

	if f, err := e.proc.Open("net/netstat"); err == nil {
		ext, err := procnet.ParseSNMP(f)
		f.Close()
		e.snmpError("/proc/net/netstat", err, true)
		secs = append(secs, ext...)
	}

	if f, err := e.proc.Open("net/sctp/snmp"); err == nil {
		sctp, err := procnet.ParseSCTPSNMP(f)
		f.Close()
		e.snmpError("/proc/net/sctp/snmp", err, false)
		secs = append(secs, sctp)
	}
	out.ipv4(sw, secs)
}

// statsIPv6 is net-tools' parsesnmp6: /proc/net/snmp6, then the Tcp section of
// /proc/net/snmp. A malformed /proc/net/snmp goes unreported here, as in net-tools.
func (e *env) statsIPv6(sw textfmt.StatSwitches, out statsOut) {
	f, err := e.proc.Open("net/snmp6")
	if err != nil {
		fmt.Fprintf(e.stderr, "cannot open /proc/net/snmp6: %s\n", textfmt.Strerror(err))
		out.ipv6(sw, nil, nil) // nothing in net-tools' text
		return
	}
	snmp6, err := procnet.ParseSNMP6(f)
	f.Close()
	e.snmpError("/proc/net/snmp6", err, false)

	var snmp []netstat.CounterSection
	if f, err := e.proc.Open("net/snmp"); err != nil {
		fmt.Fprintf(e.stderr, "cannot open /proc/net/snmp: %s\n", textfmt.Strerror(err))
	} else {
		snmp, err = procnet.ParseSNMP(f)
		f.Close()
		e.snmpError("/proc/net/snmp", err, false)
	}
	out.ipv6(sw, snmp6, snmp)
}

// snmpError reports a parse or read error of a counter file as net-tools does: its
// "Problem while parsing" line when format problems are reported, perror(path) for a
// read error.
func (e *env) snmpError(path string, err error, reportFormat bool) {
	switch {
	case err == nil:
	case errors.Is(err, procnet.ErrSNMPFormat):
		if reportFormat {
			fmt.Fprintf(e.stderr, "Problem while parsing %s\n", path)
		}
	default:
		fmt.Fprintf(e.stderr, "%s: %s\n", path, textfmt.Strerror(err))
	}
}
