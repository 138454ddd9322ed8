package analysis

import (
	"context"
	"net/netip"

	"github.com/netstat-go/netstat/internal/resolve"
)

// NameLookups returns the ParseOptions that let a filter name services and hosts
// through names: a service name is the port whose TCP (else UDP) service has that
// official name, as getservbyname would find it; a host name stands for every address
// the resolver's hosts sources give it, looked up under ctx.
func NameLookups(ctx context.Context, names resolve.Names) ParseOptions {
	return ParseOptions{
		Service: func(name string) (uint16, bool) {
			for _, proto := range []string{"tcp", "udp"} {
				for port := 1; port <= 0xffff; port++ {
					if n, ok := names.ServiceName(uint16(port), proto); ok && n == name {
						return uint16(port), true
					}
				}
			}
			return 0, false
		},
		Host: func(name string) ([]netip.Addr, bool) { return names.HostAddrs(ctx, name) },
	}
}
