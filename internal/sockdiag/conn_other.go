//go:build !linux

package sockdiag

import "fmt"

// Dial reports ErrUnsupported: sock_diag exists only on Linux.
func Dial() (Conn, error) {
	return nil, fmt.Errorf("%w: not Linux", ErrUnsupported)
}
