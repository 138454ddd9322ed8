package weblog

import (
	"fmt"
	"io"
	"os"
)

// progressMin is the input size from which a terminal gets a progress line.
const progressMin = 64 << 20

// progressFunc returns the progress printer for stderr: nil unless stderr is a
// terminal and the input is large.
func progressFunc(stderr io.Writer, total int64) func(done uint64) {
	f, ok := stderr.(*os.File)
	if !ok || total < progressMin {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(done uint64) {
		if done == ^uint64(0) {
			fmt.Fprint(f, "\r\033[K")
			return
		}
		fmt.Fprintf(f, "\rweblog: %d/%d MB (%d%%)", done>>20, total>>20, done*100/uint64(total))
	}
}
