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

// Config is what a Model is built from.
type Config struct {
	// Source takes the snapshots; Destroyer (may be nil) closes connections.
	Source    source.Source
	Destroyer source.Destroyer
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

// row is one socket of the table: the latest values seen for it, its owners and what
// changed.
type row struct {
	// sock points into the snapshot the row comes from (a closed row's is a copy of
	// its own, so that old snapshots are not kept).
	sock   *netstat.Socket
	owners []netstat.Process
	mark   mark
	// age counts the refreshes a closed row has been shown for, or a new or changed
	// row has been shown marked after the first.
	age int
	// tx and rx are the TCP send and receive rates in bytes per second, from the
	// deltas of tcp_info's bytes_acked and bytes_received; hasRate is false until two
	// samples exist.
	tx, rx  float64
	hasRate bool
}

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

// line is one line of the table: a group header (row < 0) or a socket.
type line struct {
	row   int
	group int
}

// group is a set of rows sharing a group key, with its totals.
type group struct {
	name     string
	rows     []int
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

	taken  time.Time
	rows   []row
	byKey  keyIndex
	counts [4]int // rows per mark
	// spareRows and spareByKey are the buffers of the refresh before last, reused.
	spareRows  []row
	spareByKey keyIndex
	partial    netstat.Partial
	err        error // the last snapshot error, shown until a snapshot succeeds

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
	// first line on screen.
	lines    []line
	shown    int // sockets that pass the filter
	cursor   int
	top      int
	selected netstat.SocketKey // the socket under the cursor, kept across refreshes

	mode      mode
	detail    netstat.SocketKey
	detailTop int
	confirm   netstat.SocketKey
	status    string

	// owners are the socket holders of the last owner scan. The scan (every
	// /proc/<pid>/fd) is asked for only when sockets appeared whose inode it has not
	// seen, and at most once a second.
	owners     map[uint64][]netstat.Process
	scanned    map[uint64]struct{} // the inodes present at the last scan
	ownersAt   time.Time
	needOwners bool

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
	cfg.Query.Extras |= source.WithTCPInfo | source.WithTimers | source.WithCgroup
	cfg.Query.Extras &^= source.WithOwners // asked for by fetch when needed
	m := &Model{
		ctx:          ctx,
		cfg:          cfg,
		keys:         defaultKeys(),
		width:        80,
		height:       24,
		byKey:        keyIndex{},
		expanded:     map[string]bool{},
		resolveNames: cfg.ResolveNames,
		sortCol:      colLocal,
		needOwners:   true,
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
