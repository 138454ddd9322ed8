// Package top is `netstat top`: a live, TCPView-style table of the host's sockets in
// the terminal, built with Bubble Tea. The model (this file) holds the state,
// update.go turns messages into state (diffing, sorting, filtering, grouping happen
// there, off the drawing path), view.go draws the visible rows and does no I/O, and
// commands.go is the only code that talks to the Source, the Destroyer and the
// resolver.
package top

import (
	"context"
	"net/netip"
	"time"

	"github.com/netstat-go/netstat/internal/analysis"
	"github.com/netstat-go/netstat/internal/resolve"
	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

// Source is what the view asks for sockets: a stream each refresh, and a snapshot
// of one socket for its details.
type Source interface {
	source.Source
	source.Streamer
}

// Config is what a Model is built from.
type Config struct {
	// Source takes the snapshots; Destroyer (may be nil) closes connections.
	Source    Source
	Destroyer source.Destroyer
	// Owners (may be nil) finds the processes holding new sockets.
	Owners source.OwnerFinder
	// Names answers host, service and user lookups; they run in commands only.
	Names resolve.Names
	// Query selects the tables; the view adds owners and tcp_info.
	Query source.Query
	// Interval is the time between refreshes; Timeout bounds one snapshot.
	Interval, Timeout time.Duration
	// ResolveNames starts with host and service names on (n toggles them).
	ResolveNames bool
	// Color draws new, changed and closed rows in colour (the text markers stay).
	Color bool
}

// mark is what happened to a row since the previous refresh.
type mark uint8

const (
	markNone mark = iota
	markNew
	markChanged
	markClosed
)

// markText is the marker column, so that the table reads without colour.
var markText = [...]string{" ", "+", "~", "-"}

// mode is what the screen shows.
type mode uint8

const (
	modeTable mode = iota
	modeDetails
	modeHelp
	modeConfirm
)

// groupMode is what rows are grouped by (g cycles).
type groupMode uint8

const (
	groupNone groupMode = iota
	groupProcess
	groupState
	groupRemote
	groupLocalPort
	numGroupModes
)

var groupNames = [...]string{"none", "process", "state", "remote host", "local port"}

// line is one line of the table: the slot of a socket's row, or -1-g for the header
// of group g.
type line = int32

// header is the line of group g's header.
func header(g int) line { return -1 - line(g) }

// groupOf returns the group of a header line.
func groupOf(l line) (int, bool) { return int(-1 - l), l < 0 }

// group is a set of rows sharing a group key, with its totals.
type group struct {
	name     string
	rows     []line
	tx, rx   float64
	recvQ    uint64
	sendQ    uint64
	expanded bool
}

// svcKey is a service-name cache key.
type svcKey struct {
	port  uint16
	proto string
}

// names holds the answers of the background resolver. An empty string means "looked
// up, no name": the number is shown and it is not asked again.
type names struct {
	hosts map[netip.Addr]string
	svcs  map[svcKey]string
	users map[uint32]string
}

// Model is the state of `netstat top`. It implements tea.Model.
type Model struct {
	ctx  context.Context
	cfg  Config
	keys keyMap

	width, height int

	// token tags the latest snapshot request; replies with another token are stale
	// and dropped. tickGen does the same for the refresh timer.
	token   uint64
	tickGen uint64
	paused  bool
	loaded  bool

	taken time.Time
	// rows are the sockets of the table, in slots (see row); slot holds each slot's
	// slotFree and slotMoved bits and seen the refresh that last saw it, apart from
	// the rows so that passes over every slot touch a few bytes each.
	rows   rowStore
	slot   []uint8
	seen   []uint8 // the low byte of gen (a row is freed two refreshes after it was last seen)
	free   []int32
	live   int    // slots in use
	gen    uint32 // refreshes applied
	head   int32  // the slot of the first socket of the last stream
	index  slotIndex
	counts [4]int  // rows per mark
	dt     float64 // seconds between the last two streams
	// The state of the stream being applied (see beginApply).
	applying       bool
	applyToken     uint64
	prevSlot, pred int32
	newCounts      [4]int
	cancelFetch    context.CancelFunc
	// frame is the last screen drawn, kept until an Update changes something.
	frame   string
	partial netstat.Partial
	err     error // the last snapshot error, shown until a snapshot succeeds

	// order is every row's slot in the order of orderCol and orderDesc, kept between
	// refreshes: only rows marked slotMoved are placed again.
	order     []int32
	orderCol  column
	orderDesc bool
	orderOK   bool
	moved     []int32 // scratch for sortRows
	// chunks are the spare record chunks of streams.
	chunks chunkPool

	sortCol  column
	sortDesc bool

	editing    bool
	filterText string
	filter     rowFilter
	filterErr  string

	groupBy  groupMode
	expanded map[string]bool
	groups   []group

	// lines is what the table shows, in order; cursor indexes it and top is the
	// first line on screen. Without a filter or groups it is order itself.
	lines    []line
	shown    int // sockets that pass the filter
	cursor   int
	top      int
	selected netstat.SocketKey // the socket under the cursor, kept across refreshes

	mode      mode
	detail    netstat.SocketKey
	detailTop int
	// detailSock is the whole socket of the details panel (tcp_info, timers, cgroup),
	// fetched for that one socket; nil until it arrives.
	detailSock *netstat.Socket
	detailGen  uint64
	confirm    netstat.SocketKey
	status     string

	// sets are the distinct lists of socket holders that rows point to, setIndex
	// finds a list by its PIDs. Owners are looked up only for new sockets, at most
	// once per ownerScanInterval, by cfg.Owners.
	sets          [][]netstat.Process
	setIndex      map[string]int32
	ownersAt      time.Time
	scanning      bool
	pendingOwners bool // some rows have ownerUnknown
	ownersPartial netstat.Partial

	resolveNames bool
	names        names
	asked        names // looked up or being looked up
	resolving    bool
}

// New returns the model of a view over cfg.Source. ctx bounds every command.
func New(ctx context.Context, cfg Config) *Model {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Names == nil {
		cfg.Names = resolve.Numeric{}
	}
	// A refresh needs tcp_info (rates, RTT); timers and cgroups are fetched with the
	// details of one socket, owners from cfg.Owners for new sockets only.
	cfg.Query.Extras |= source.WithTCPInfo
	cfg.Query.Extras &^= source.WithOwners | source.WithTimers | source.WithCgroup
	m := &Model{
		ctx:          ctx,
		cfg:          cfg,
		keys:         defaultKeys(),
		width:        80,
		height:       24,
		chunks:       newChunkPool(),
		head:         -1,
		setIndex:     map[string]int32{},
		expanded:     map[string]bool{},
		resolveNames: cfg.ResolveNames,
		sortCol:      colLocal,
	}
	m.names = names{hosts: map[netip.Addr]string{}, svcs: map[svcKey]string{}, users: map[uint32]string{}}
	m.asked = names{hosts: map[netip.Addr]string{}, svcs: map[svcKey]string{}, users: map[uint32]string{}}
	return m
}

// rowFilter is the compiled `/` filter: an analysis expression, or plain words that
// must each match some field fzf-style.
type rowFilter struct {
	expr  analysis.Expr
	words []string
}

func (f rowFilter) active() bool { return f.expr != nil || len(f.words) > 0 }
