//go:build !linux

package system

import (
	"errors"

	"github.com/netstat-go/netstat/netstat"
)

// IfaceSocket is the live netstat.IfaceSource; interfaces are only supported on
// Linux.
type IfaceSocket struct{}

var _ netstat.IfaceSource = (*IfaceSocket)(nil)

// OpenIfaceSocket reports that the interface table is not supported on this system.
func OpenIfaceSocket() (*IfaceSocket, error) { return nil, errors.ErrUnsupported }

// Close does nothing.
func (s *IfaceSocket) Close() error { return nil }

// ConfNames is not supported on this system.
func (s *IfaceSocket) ConfNames() ([]string, error) { return nil, errors.ErrUnsupported }

// Fetch is not supported on this system.
func (s *IfaceSocket) Fetch(name string) (netstat.Interface, error) {
	return netstat.Interface{Name: name}, errors.ErrUnsupported
}
