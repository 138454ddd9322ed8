package serve

import (
	"errors"
	"io"

	"github.com/netstat-go/netstat/internal/source"
)

// liveSource is what serve needs of the live data layer.
type liveSource interface {
	source.Source
	source.CounterSource
	io.Closer
}

// openLive opens the host's live source.
//
// TODO(serve): source.NewLive is being written on main; until it is merged this
// returns an error and `netstat serve` cannot start.
func openLive() (liveSource, error) {
	return nil, errors.New("the live source is not built yet (waiting for source.NewLive)")
}
