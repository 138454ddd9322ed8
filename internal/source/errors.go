package source

import "errors"

// ErrDestroyUnsupported is returned (wrapped) by Destroy when the kernel was built
// without CONFIG_INET_DIAG_DESTROY (it answers SOCK_DESTROY with EOPNOTSUPP).
var ErrDestroyUnsupported = errors.New("the kernel cannot close sockets (built without CONFIG_INET_DIAG_DESTROY)")

// ErrPermission is returned (wrapped) by Destroy without CAP_NET_ADMIN (EPERM).
var ErrPermission = errors.New("closing a socket needs CAP_NET_ADMIN (run as root)")

// ErrNotFound is returned (wrapped) by Destroy when the socket no longer exists
// (ENOENT): it closed on its own in the meantime.
var ErrNotFound = errors.New("no such socket (it has already gone)")
