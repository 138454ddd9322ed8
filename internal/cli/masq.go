package cli

import (
	"context"
	"errors"
	"io/fs"

	"github.com/netstat-go/netstat/internal/source"
)

// masq.go is netstat -M (net-tools' ip_masq_info, lib/masq_info.c).

// runMasquerade prints the masquerading table once and returns net-tools' status. The
// table lives in /proc/net/ip_masquerade, which Linux dropped in 2.4 (Go needs 3.2),
// so what is left are the two ways of failing to open it: 1 with "no support" for a
// missing file, -1 (exit status 255) with perror for any other error.
func (e *env) runMasquerade(ctx context.Context, c *Config) int {
	err := e.tables().Masquerade(ctx)
	switch {
	case errors.Is(err, source.ErrMasqueradeUnsupported):
		e.routeError("netstat: showing /proc/net/ip_masquerade is not supported by this netstat.\n")
		return 1
	case source.IsOpen(err) && errors.Is(err, fs.ErrNotExist):
		e.routeError("netstat: no support for `ip_masquerade' on this system.\n")
		return 1
	}
	e.routePerror("/proc/net/ip_masquerade", err)
	return -1
}
