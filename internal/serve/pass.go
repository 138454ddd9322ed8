package serve

import (
	"context"
	"time"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// tallies are what one pass over the TCP sockets leaves for the collectors: summaries
// bounded by the flags, never the sockets. A part whose collector is off is empty.
type tallies struct {
	states    stateCounts                  // tcp
	ports     []portCount                  // ports: the busiest, then "other"
	listeners []listenQueue                // listen: the fullest, then "other"
	peers     [len(peerStates)][]addrCount // peers, per peerStates: the top, then "other"
	programs  []programCount               // process: the busiest, then "other"
}

// pass computes the tallies of the enabled collectors in one stream of the TCP
// sockets, each socket handed over as the netlink dump is decoded and forgotten after
// it was counted. Its working memory (the per-port table, the peer counters, the
// owners cache) is kept from one pass to the next: passes never run concurrently
// (shared runs one fetch at a time).
type pass struct {
	src   source.Streamer
	query source.Query
	now   func() time.Time
	cfg   *config

	states  bool // tcp
	ports   *portTally
	listen  *listenTally
	peers   *peerTally
	process *programTally

	cur *tallies
}

// newPass returns the pass of the collectors enabled in cfg. scan reads the socket
// owners for the process collector.
func newPass(cfg *config, src source.Streamer, scan ownerScan, now func() time.Time) *pass {
	p := &pass{src: src, now: now, cfg: cfg}
	var need analysis.StateSet
	if cfg.enabled["tcp"] {
		p.states = true
		need |= analysis.AllStates
	}
	if cfg.enabled["ports"] {
		p.ports = newPortTally()
		need |= analysis.AllStates
	}
	if cfg.enabled["listen"] {
		p.listen = newListenTally()
		need |= 1 << netstat.Listen
	}
	if cfg.enabled["peers"] {
		p.peers = newPeerTally(cfg.peersTop)
		need |= 1<<netstat.SynRecv | 1<<netstat.NewSynRecv | 1<<netstat.TimeWait
	}
	if cfg.enabled["process"] {
		p.process = newProgramTally(scan, cfg.processScanInterval, now)
		// Sockets in TIME_WAIT have no owner (no inode): the kernel need not send them.
		need |= analysis.AllStates &^ (1 << netstat.TimeWait)
	}
	p.query = source.Query{Protos: []netstat.Proto{netstat.TCP}, States: kernelStates(need)}
	return p
}

// kernelStates is the Query.States that selects the sockets in need: 0 (every
// state) when need holds them all, which spares the kernel a filter.
func kernelStates(need analysis.StateSet) analysis.StateSet {
	if need&analysis.AllStates == analysis.AllStates {
		return 0
	}
	return need
}

// run streams the sockets once and returns the tallies.
func (p *pass) run(ctx context.Context) (*tallies, error) {
	p.cur = &tallies{}
	if p.ports != nil {
		p.ports.reset()
	}
	if p.listen != nil {
		p.listen.reset()
	}
	if p.peers != nil {
		p.peers.reset()
	}
	if p.process != nil {
		p.process.begin()
	}
	if _, err := p.src.Stream(ctx, p.query, source.Visit{Inet: p.visit}); err != nil {
		return nil, err
	}
	t := p.cur
	p.cur = nil
	if p.ports != nil {
		t.ports = p.ports.top(p.cfg.portsMax)
	}
	if p.listen != nil {
		t.listeners = p.listen.top(p.cfg.listenMax)
	}
	if p.peers != nil {
		t.peers = p.peers.top(p.cfg.peersTop)
	}
	if p.process != nil {
		p.process.end()
		t.programs = p.process.top(p.cfg.processMax)
	}
	return t, nil
}

// visit counts one socket.
func (p *pass) visit(s *netstat.Socket) error {
	if s.Proto != netstat.TCP {
		return nil
	}
	st := stateIndex(s.State)
	if st == 0 {
		return nil
	}
	if p.states {
		p.cur.states[st]++
	}
	if p.ports != nil {
		p.ports.add(s.Local.Port(), st)
	}
	if p.listen != nil && st == int(netstat.Listen) {
		p.listen.add(s)
	}
	if p.peers != nil {
		p.peers.add(s, st)
	}
	if p.process != nil {
		p.process.add(s.Inode, st)
	}
	return nil
}
