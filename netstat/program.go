package netstat

// ProgramColumnMax is net-tools' PROGNAME_WIDTH-1: its PID/Program name column holds
// "PID/argv0" cut to 19 bytes. textfmt makes the cut; analyses that match or count
// what the column shows use ProgramColumnName.
const ProgramColumnMax = 19

// ProgramLookup returns the process that holds a socket inode (the lowest PID when
// several do), or nil when no process is known to hold it (net-tools then prints "-").
// The caller does not modify the process.
type ProgramLookup func(inode uint64) *Process

// ProgramColumnName is the program part of net-tools' PID/Program column for p, what
// follows "PID/";
// cut reports that net-tools' 19-byte cut shortened the column, so the name shown is
// only the beginning of p.Name.
func ProgramColumnName(p *Process) (name string, cut bool) {
	room := ProgramColumnMax - decimalLen(p.PID) - 1
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
