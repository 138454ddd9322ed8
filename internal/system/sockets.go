package system

import (
	"io/fs"

	"github.com/netstat-go/netstat/netstat"
)

// NewSockets returns the live socket source: netlink sock_diag for each protocol the
// kernel supports there, /proc/net for the rest, or /proc/net only when forceProc is
// set. warn receives net-tools' warnings about malformed /proc lines.
func NewSockets(proc fs.FS, forceProc bool, warn func(string)) netstat.SocketSource {
	return &ProcSource{Proc: proc, Warn: warn}
}
