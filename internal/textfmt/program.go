package textfmt

import (
	"strconv"

	"github.com/netstat-go/netstat/netstat"
)

// programColumnMax is net-tools' PROGNAME_WIDTH-1: "PID/argv0" is cut to 19 bytes.
const programColumnMax = 19

// ProgramLookup returns the process that holds a socket inode (the lowest PID when
// several do); ok is false when no process is known to hold it (net-tools then prints
// "-").
type ProgramLookup func(inode uint64) (p netstat.Process, ok bool)

// ProgramColumn is the text of net-tools' PID/Program name column for p: "PID/name",
// raw bytes kept, the whole cut to 19 bytes (in the middle of a UTF-8 sequence if that
// is where byte 19 falls). It is the only place the cut is made.
func ProgramColumn(p netstat.Process) string {
	return string(AppendProgramColumn(make([]byte, 0, programColumnMax), p))
}

// AppendProgramColumn appends ProgramColumn(p) to b without allocating.
func AppendProgramColumn(b []byte, p netstat.Process) []byte {
	start := len(b)
	b = strconv.AppendInt(b, int64(p.PID), 10)
	b = append(b, '/')
	b = append(b, p.Name...)
	if len(b)-start > programColumnMax {
		b = b[:start+programColumnMax]
	}
	return b
}

// ProgramColumnName is the program part of ProgramColumn(p), what follows "PID/";
// cut reports that net-tools' 19-byte cut shortened the column, so the name shown is
// only the beginning of p.Name.
func ProgramColumnName(p netstat.Process) (name string, cut bool) {
	room := programColumnMax - decimalLen(p.PID) - 1
	if len(p.Name) <= room {
		return p.Name, false
	}
	return p.Name[:max(room, 0)], true
}

// decimalLen is len(strconv.Itoa(n)).
func decimalLen(n int) int {
	l := 1
	if n < 0 {
		l++
	}
	for n /= 10; n != 0; n /= 10 {
		l++
	}
	return l
}
