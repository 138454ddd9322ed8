package textfmt

import (
	"strconv"

	"github.com/netstat-go/netstat/netstat"
)

// programColumnMax is net-tools' PROGNAME_WIDTH-1: "PID/argv0" is cut to 19 bytes.
const programColumnMax = netstat.ProgramColumnMax

// ProgramLookup returns the process that holds a socket inode (see netstat.ProgramLookup).
type ProgramLookup = netstat.ProgramLookup

// ProgramColumn is the text of net-tools' PID/Program name column for p: "PID/name",
// raw bytes kept, the whole cut to 19 bytes (in the middle of a UTF-8 sequence if that
// is where byte 19 falls). It is the only place the cut is made.
func ProgramColumn(p netstat.Process) string {
	return string(AppendProgramColumn(make([]byte, 0, programColumnMax), &p))
}

// AppendProgramColumn appends ProgramColumn(p) to b without allocating. It runs for
// every row of netstat -p, so it writes the PID itself and cuts the name before
// appending it.
func AppendProgramColumn(b []byte, p *netstat.Process) []byte {
	if p.PID < 0 {
		// Not a Linux PID; the general path.
		start := len(b)
		b = append(strconv.AppendInt(b, int64(p.PID), 10), '/')
		b = append(b, p.Name...)
		return b[:min(len(b), start+programColumnMax)]
	}
	// The PID's digits, two at a time, as strconv does.
	var num [20]byte
	i := len(num)
	u := uint(p.PID)
	for u >= 100 {
		q := u / 100
		r := 2 * (u - 100*q)
		i -= 2
		num[i], num[i+1] = twoDigits[r], twoDigits[r+1]
		u = q
	}
	if u >= 10 {
		i -= 2
		num[i], num[i+1] = twoDigits[2*u], twoDigits[2*u+1]
	} else {
		i--
		num[i] = byte('0' + u)
	}
	if len(num)-i >= programColumnMax {
		return append(b, num[i:i+programColumnMax]...)
	}
	b = append(append(b, num[i:]...), '/')
	name := p.Name
	if room := programColumnMax - (len(num) - i) - 1; len(name) > room {
		name = name[:room]
	}
	return append(b, name...)
}

const twoDigits = "00010203040506070809" + "10111213141516171819" + "20212223242526272829" +
	"30313233343536373839" + "40414243444546474849" + "50515253545556575859" + "60616263646566676869" +
	"70717273747576777879" + "80818283848586878889" + "90919293949596979899"
