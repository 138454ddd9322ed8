package analysis

import (
	"errors"
	"strconv"
	"strings"

	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/netstat"
)

// Process selects sockets by owner (--process): a PID, or a program name as the
// PID/Program name column shows it.
type Process struct {
	pid   int
	byPID bool
	name  string
}

// ParseProcess parses a --process value: all digits is a PID, anything else a program
// name (argv[0] without its directory, as netstat -p shows it).
func ParseProcess(v string) (Process, error) {
	if v == "" || strings.Contains(v, "/") {
		return Process{}, errors.New("want a program name or a PID, not '" + v + "'")
	}
	if n, err := strconv.ParseUint(v, 10, 31); err == nil {
		return Process{pid: int(n), byPID: true}, nil
	}
	if isDigits(v) {
		return Process{}, errors.New("PID '" + v + "' out of range")
	}
	return Process{name: v}, nil
}

// Match reports whether owner, the process holding a socket (the lowest PID, as
// netstat's -p column shows; nil for no known owner), is the selected process.
// A name is compared with the name the column shows (netstat.ProgramColumnName): when
// net-tools' 19-byte cut shortened it, it matches every name it begins.
func (p Process) Match(owner *netstat.Process) bool {
	switch {
	case owner == nil:
		return false
	case p.byPID:
		return owner.PID == p.pid
	}
	shown, cut := netstat.ProgramColumnName(owner)
	if shown == p.name {
		return true
	}
	return cut && shown != "" && strings.HasPrefix(p.name, shown)
}

// User selects sockets by owning user (--user), as the User column of netstat -e shows
// it: a uid, or a user name.
type User struct {
	uid   uint32
	byUID bool
	name  string
}

// ParseUser parses a --user value: a number is a uid, anything else a user name.
func ParseUser(v string) (User, error) {
	if v == "" {
		return User{}, errors.New("want a user name or a uid")
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < -1<<31 || n > 1<<32-1 {
			return User{}, errors.New("uid '" + v + "' out of range")
		}
		// Negative uids are netstat's way of printing uids past 2^31-1.
		return User{uid: uint32(n), byUID: true}, nil
	}
	if isDigits(strings.TrimPrefix(v, "-")) {
		return User{}, errors.New("uid '" + v + "' out of range")
	}
	return User{name: v}, nil
}

// Match reports whether a socket of uid belongs to the selected user; names looks the
// uid up (getpwuid).
func (u User) Match(uid uint32, names resolve.Resolver) bool {
	if u.byUID {
		return uid == u.uid
	}
	name, ok := names.UserName(uid)
	return ok && name == u.name
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
