package resolve

import (
	"context"
	"io"
	"io/fs"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// System resolves names the way glibc would on this machine: the databases under /etc
// are read once, on first use, host lookups follow nsswitch.conf's "hosts:" order
// ("files" with glibc's rules, "dns" through Go's DNS client) and answers are cached
// (at most CacheSize addresses, each for CacheTTL), so a listing looks each address up
// once. Safe for concurrent use.
type System struct {
	etc fs.FS // rooted at /etc
	dns func(ctx context.Context, addr netip.Addr) (string, bool)
	// dnsAddrs is the forward DNS lookup of HostAddrs.
	dnsAddrs func(ctx context.Context, name string) ([]netip.Addr, bool)
	// dnsTimeout bounds one DNS lookup (reverse or forward).
	dnsTimeout time.Duration

	hostsOnce sync.Once
	sources   []string
	hosts     *HostsTable

	svcOnce  sync.Once
	services *ServicesTable

	netOnce  sync.Once
	networks *NetworksTable

	pwOnce sync.Once
	passwd *PasswdTable

	cache *hostCache
}

// Host-name cache bounds of System.
const (
	CacheSize = 1 << 16
	CacheTTL  = 10 * time.Minute
)

var _ Names = (*System)(nil)

type hostAnswer struct {
	name string
	ok   bool
}

// NewSystem returns a resolver over the databases in etc (os.DirFS("/etc") live).
func NewSystem(etc fs.FS) *System {
	return &System{etc: etc, dns: lookupDNS, dnsAddrs: lookupDNSAddrs, dnsTimeout: 5 * time.Second,
		cache: newHostCache(CacheSize, CacheTTL, time.Now)}
}

func (s *System) open(name string) io.ReadCloser {
	f, err := s.etc.Open(name)
	if err != nil {
		return nil
	}
	return f
}

func (s *System) loadHosts() {
	s.hostsOnce.Do(func() {
		if f := s.open("nsswitch.conf"); f != nil {
			s.sources = hostsSources(f)
			f.Close()
		} else {
			s.sources = []string{"dns", "files"}
		}
		if f := s.open("hosts"); f != nil {
			s.hosts = ParseHosts(f)
			f.Close()
		}
	})
}

// HostName implements Resolver. A DNS look-up it makes is bounded by the resolver's
// own timeout; callers with a deadline of their own Resolve first.
func (s *System) HostName(addr netip.Addr) (string, bool) {
	return s.hostName(context.Background(), addr)
}

func (s *System) hostName(ctx context.Context, addr netip.Addr) (string, bool) {
	if a, ok := s.cache.load(addr); ok {
		return a.name, a.ok
	}
	s.loadHosts()
	var ans hostAnswer
	for _, src := range s.sources {
		switch src {
		case "files":
			ans.name, ans.ok = s.hosts.Lookup(addr)
		case "dns":
			if s.dns != nil {
				dctx, cancel := context.WithTimeout(ctx, s.dnsTimeout)
				ans.name, ans.ok = s.dns(dctx, addr)
				cancel()
			}
		}
		if ans.ok {
			break
		}
	}
	ans = s.cache.loadOrStore(addr, ans)
	return ans.name, ans.ok
}

// CachedHostName answers from the cache alone: cached is false when addr has no
// fresh answer there (a view then shows the number and asks Resolve in the
// background).
func (s *System) CachedHostName(addr netip.Addr) (name string, ok, cached bool) {
	a, cached := s.cache.load(addr)
	return a.name, a.ok, cached
}

// Slow reports whether host look-ups may leave the machine (nsswitch lists a source
// other than "files"): callers then hold rows and Resolve them in batches.
func (s *System) Slow() bool {
	s.loadHosts()
	for _, src := range s.sources {
		if src != "files" {
			return true
		}
	}
	return false
}

// resolveWorkers bounds the look-ups Resolve runs at once.
const resolveWorkers = 256

// Resolve looks addrs up concurrently so that later HostName calls answer from the
// cache. It returns when all are done or ctx ends; addresses still unanswered then
// are given up and stay numeric for as long as they are cached.
func (s *System) Resolve(ctx context.Context, addrs []netip.Addr) {
	ch := make(chan netip.Addr)
	var wg sync.WaitGroup
	for i := 0; i < min(resolveWorkers, len(addrs)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range ch {
				s.hostName(ctx, a)
			}
		}()
	}
	for _, a := range addrs {
		if _, done := s.cache.load(a); done {
			continue
		}
		select {
		case ch <- a:
		case <-ctx.Done():
		}
	}
	close(ch)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		for _, a := range addrs {
			s.cache.loadOrStore(a, hostAnswer{})
		}
	}
}

// NetworkName implements Resolver.
func (s *System) NetworkName(n uint32) (string, bool) {
	s.netOnce.Do(func() {
		if f := s.open("networks"); f != nil {
			s.networks = ParseNetworks(f)
			f.Close()
		}
	})
	return s.networks.Lookup(n)
}

// ServiceName implements Resolver.
func (s *System) ServiceName(port uint16, proto string) (string, bool) {
	s.svcOnce.Do(func() {
		svc, proto := s.open("services"), s.open("protocols")
		var sr, pr io.Reader
		if svc != nil {
			sr = svc
			defer svc.Close()
		}
		if proto != nil {
			pr = proto
			defer proto.Close()
		}
		s.services = ParseServices(sr, pr)
	})
	return s.services.Lookup(port, proto)
}

// UserName implements Resolver.
func (s *System) UserName(uid uint32) (string, bool) {
	s.pwOnce.Do(func() {
		if f := s.open("passwd"); f != nil {
			s.passwd = ParsePasswd(f)
			f.Close()
		}
	})
	return s.passwd.Lookup(uid)
}

// HostAddrs returns the addresses of a host name, following nsswitch.conf's "hosts:"
// order as getaddrinfo does: the first source that knows the name answers. Filters
// (--filter "dst NAME") use it; listings only ever look addresses up.
func (s *System) HostAddrs(ctx context.Context, name string) ([]netip.Addr, bool) {
	s.loadHosts()
	for _, src := range s.sources {
		switch src {
		case "files":
			if addrs := s.hosts.Addrs(name); len(addrs) > 0 {
				return addrs, true
			}
		case "dns":
			if s.dnsAddrs != nil {
				dctx, cancel := context.WithTimeout(ctx, s.dnsTimeout)
				addrs, ok := s.dnsAddrs(dctx, name)
				cancel()
				if ok {
					return addrs, true
				}
			}
		}
	}
	return nil, false
}

// lookupDNSAddrs is the "dns" source of HostAddrs, through Go's DNS client. (That
// client may read /etc/hosts too, which files has already answered from.)
func lookupDNSAddrs(ctx context.Context, name string) ([]netip.Addr, bool) {
	r := &net.Resolver{PreferGo: true}
	addrs, err := r.LookupNetIP(ctx, "ip", name)
	return addrs, err == nil && len(addrs) > 0
}

// lookupDNS asks DNS for the PTR name of addr, without the trailing dot. The hosts file
// was consulted before, with glibc's rules, so only DNS is asked here.
func lookupDNS(ctx context.Context, addr netip.Addr) (string, bool) {
	r := &net.Resolver{PreferGo: true}
	names, err := r.LookupAddr(ctx, addr.String())
	if err != nil || len(names) == 0 {
		return "", false
	}
	return strings.TrimSuffix(names[0], "."), true
}
