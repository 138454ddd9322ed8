package logfmt

import "fmt"

// detectOrder is the order in which Detect tries the built-in formats: the most
// specific first, so that a combined log with a response time is not read as plain
// combined.
var detectOrder = []string{CombinedTime, Combined, SquidCombined, Common, SquidNative}

// Detect returns the built-in format that parses the most of the sample lines (the
// first lines of the input), preferring the more specific format on a tie.
func Detect(sample [][]byte) (*Plan, error) {
	var best *Plan
	bestN := 0
	var r Record
	for _, name := range detectOrder {
		p, err := Builtin(name)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, line := range sample {
			if p.Parse(line, &r) == nil {
				n++
			}
		}
		if n > bestN {
			best, bestN = p, n
		}
	}
	if best == nil {
		return nil, fmt.Errorf("cannot tell the log format from the first %d lines: not combined, common, Squid or combined with a response time (use --format or --log-format)", len(sample))
	}
	return best, nil
}
