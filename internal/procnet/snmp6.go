package procnet

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/netstat-go/netstat/netstat"
)

// snmp6.go parses the one-counter-per-line files: /proc/net/snmp6 ("Ip6InReceives 14",
// printed by the kernel's snmp6_seq_show) and /proc/net/sctp/snmp
// ("SctpCurrEstab<spaces>\t0", sctp_snmp_seq_show). Both follow net-tools' readers
// (process6_fd and process_fd2 in statistics.c), which read with fgets(3) into a
// 1024-byte buffer: a line longer than 1023 bytes is read as several lines.

// snmpLineMax is the number of bytes one fgets(buf, 1024, f) call returns at most.
const snmpLineMax = 1023

// ParseSNMP6 parses /proc/net/snmp6. It returns the counters in file order grouped into
// sections the way net-tools groups them: a section's title is the prefix of the first
// name up to and including its first '6' (the whole name if it has none: "Ip6", "Icmp6",
// "Udp6", "UdpLite6"), and a new section starts whenever the current title does not
// occur in a name. Names are kept whole ("Ip6InReceives").
//
// Each line is read as sscanf(line, "%s %llu"): the name is the first run of non-space
// bytes and the value an unsigned 64-bit decimal ("-1" is 18446744073709551615). As in
// net-tools, a line without a value keeps the previous line's value, and a blank line
// repeats the previous counter. A read error is returned wrapped, with the sections
// parsed from what was read.
func ParseSNMP6(r io.Reader) ([]netstat.CounterSection, error) {
	data, rerr := io.ReadAll(r)
	secs := parseSNMP6(data)
	if rerr != nil {
		return secs, fmt.Errorf("reading snmp6 counters: %w", rerr)
	}
	return secs, nil
}

func parseSNMP6(data []byte) []netstat.CounterSection {
	var (
		secs  []netstat.CounterSection
		name  string // sscanf's %s target, kept from line to line
		value uint64 // sscanf's %llu target, kept from line to line
		title string
	)
	for len(data) > 0 {
		var line []byte
		line, data = snmpFgets(data)
		line = snmpCString(line)
		if i := snmpSkipSpace(line, 0); i < len(line) {
			j := i
			for j < len(line) && !snmpSpace(line[j]) {
				j++
			}
			name = string(line[i:j])
			if v, n := snmpStrtoull(line[j:]); n > 0 {
				value = v
			}
		}
		if len(secs) == 0 || !strings.Contains(name, title) { // strstr(3)
			title = snmp6Title(name)
			secs = append(secs, netstat.CounterSection{Title: title})
		}
		last := &secs[len(secs)-1]
		last.Counters = append(last.Counters, netstat.Counter{Name: name, Value: value})
	}
	return secs
}

// snmp6Title is net-tools' cpytitle: name up to and including its first '6'.
func snmp6Title(name string) string {
	if i := strings.IndexByte(name, '6'); i >= 0 {
		return name[:i+1]
	}
	return name
}

// snmpSkipSpace returns the index of the first byte at or after i that is not isspace.
func snmpSkipSpace(b []byte, i int) int {
	for i < len(b) && snmpSpace(b[i]) {
		i++
	}
	return i
}

// snmpFgets splits off what one fgets(buf, 1024, f) call reads: up to and including the
// next '\n', at most snmpLineMax bytes.
func snmpFgets(data []byte) (line, rest []byte) {
	n := len(data)
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		n = i + 1
	}
	n = min(n, snmpLineMax)
	return data[:n], data[n:]
}

// ParseSCTPSNMP parses /proc/net/sctp/snmp into a section titled "Sctp", the title
// net-tools gives it. Each line is a name, white space and a value.
//
// net-tools reads it in place in its fgets buffer: the name ends at the first space, tab
// or newline, and the value is read with strtoul(3) after the separator and any further
// spaces, tabs and newlines; a line whose value is missing is skipped. For a line with
// no separator at all (a final line without newline) net-tools reads the value from the
// bytes the previous line left behind in the buffer; ParseSCTPSNMP does the same, with a
// buffer that starts zeroed. A read error is returned wrapped, with the counters parsed
// from what was read.
func ParseSCTPSNMP(r io.Reader) (netstat.CounterSection, error) {
	data, rerr := io.ReadAll(r)
	sec := parseSCTPSNMP(data)
	if rerr != nil {
		return sec, fmt.Errorf("reading sctp counters: %w", rerr)
	}
	return sec, nil
}

func parseSCTPSNMP(data []byte) netstat.CounterSection {
	sec := netstat.CounterSection{Title: "Sctp"}
	// buf is net-tools' char buf1[1024], plus one NUL byte standing for whatever
	// follows it in memory, so that no scan runs off the end.
	var buf [snmpLineMax + 2]byte
	for len(data) > 0 {
		var line []byte
		line, data = snmpFgets(data)
		copy(buf[:], line)
		buf[len(line)] = 0
		end := bytes.IndexByte(buf[:], 0) // strcspn stops at the string's end, too
		n := snmpCSpan(buf[:end])
		name := string(buf[:n])
		buf[n] = 0
		sp := n + 1
		for sp < len(buf) && snmpSep(buf[sp]) {
			sp++
		}
		if sp >= len(buf) || buf[sp] == 0 {
			continue
		}
		v, _ := snmpStrtoull(snmpCString(buf[sp:]))
		sec.Counters = append(sec.Counters, netstat.Counter{Name: name, Value: v})
	}
	return sec
}
