// Package textfmt renders netstat-go's data as net-tools 2.10 prints it, byte for byte.
// Renderers are pure: values and a resolver in, text out.
package textfmt

import (
	"net/netip"

	"github.com/netstat-go/netstat/internal/resolve"
)

// IPv6Text is resolve.IPv6Text: glibc's inet_ntop(AF_INET6) text of addr.
func IPv6Text(addr netip.Addr) string { return resolve.IPv6Text(addr) }
