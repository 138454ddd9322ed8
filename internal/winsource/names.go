package winsource

import (
	"bytes"
	"context"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/netstat-go/netstat/internal/resolve"
)

// Names resolves what Windows netstat shows without -n: reverse DNS for foreign
// addresses (each address once, each look-up bounded by Timeout), the services file
// for ports, the computer name for unspecified addresses. It is safe for concurrent
// use.
type Names struct {
	// Computer is the computer name.
	Computer string
	// Services is %SystemRoot%\System32\drivers\etc\services, parsed.
	Services *resolve.ServicesTable
	// LookupAddr is the reverse look-up (net.DefaultResolver.LookupAddr).
	LookupAddr func(ctx context.Context, addr string) ([]string, error)
	// Timeout bounds each look-up (2 s when 0).
	Timeout time.Duration

	mu    sync.Mutex
	cache map[netip.Addr]string
}

// ParseServicesFile parses a Windows services file (CR LF line ends).
func ParseServicesFile(b []byte) *resolve.ServicesTable {
	return resolve.ParseServices(bytes.NewReader(bytes.ReplaceAll(b, []byte("\r"), nil)), nil)
}

// HostName implements winnetstat's Names.
func (n *Names) HostName(a netip.Addr) (string, bool) {
	n.mu.Lock()
	name, ok := n.cache[a]
	n.mu.Unlock()
	if ok {
		return name, name != ""
	}
	if n.LookupAddr != nil {
		timeout := n.Timeout
		if timeout <= 0 {
			timeout = 2 * time.Second
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		names, err := n.LookupAddr(ctx, a.WithZone("").String())
		cancel()
		if err == nil && len(names) > 0 {
			name = strings.TrimSuffix(names[0], ".")
		}
	}
	n.mu.Lock()
	if n.cache == nil {
		n.cache = map[netip.Addr]string{}
	}
	n.cache[a] = name
	n.mu.Unlock()
	return name, name != ""
}

// ServiceName implements winnetstat's Names.
func (n *Names) ServiceName(port uint16, proto string) (string, bool) {
	return n.Services.Lookup(port, proto)
}

// ComputerName implements winnetstat's Names.
func (n *Names) ComputerName() string { return n.Computer }
