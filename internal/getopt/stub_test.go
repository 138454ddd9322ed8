package getopt

type glibcCase struct {
	name      string
	table     int
	optstring string
	posix     bool
	argv      []string
	want      string
}

var glibcCases []glibcCase
