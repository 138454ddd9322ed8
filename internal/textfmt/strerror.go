package textfmt

import (
	"errors"
	"io/fs"
	"syscall"
)

// Strerror returns glibc's strerror text for the errno inside err (e.g. "No such file
// or directory"), so that messages match perror(3) output. Errors without an errno
// fall back to their own text.
func Strerror(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if s, ok := glibcErrors[errno]; ok {
			return s
		}
		return capitalize(errno.Error())
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return glibcErrors[syscall.ENOENT]
	case errors.Is(err, fs.ErrPermission):
		return glibcErrors[syscall.EACCES]
	}
	return err.Error()
}

// glibcErrors holds the texts that differ from Go's by more than capitalisation, plus
// the common ones so that they are explicit.
var glibcErrors = map[syscall.Errno]string{
	syscall.ENOENT:       "No such file or directory",
	syscall.EACCES:       "Permission denied",
	syscall.EPERM:        "Operation not permitted",
	syscall.EINVAL:       "Invalid argument",
	syscall.ENODEV:       "No such device",
	syscall.ENXIO:        "No such device or address",
	syscall.EISDIR:       "Is a directory",
	syscall.ENOTDIR:      "Not a directory",
	syscall.EMFILE:       "Too many open files",
	syscall.ENOMEM:       "Cannot allocate memory",
	syscall.EIO:          "Input/output error",
	syscall.EAGAIN:       "Resource temporarily unavailable",
	syscall.EAFNOSUPPORT: "Address family not supported by protocol",
	syscall.ENOBUFS:      "No buffer space available",
	syscall.EOPNOTSUPP:   "Operation not supported",
}

func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}
