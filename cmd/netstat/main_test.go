package main

import (
	"slices"
	"testing"

	"github.com/netstat-go/netstat/internal/cli"
	"github.com/netstat-go/netstat/internal/sniff"
	"github.com/netstat-go/netstat/internal/weblog"
)

// TestCommandsTable checks cli.Commands, which `netstat help` and the completion
// scripts list, against the subcommands main dispatches and their own words.
func TestCommandsTable(t *testing.T) {
	var names []string
	for _, c := range cli.Commands {
		names = append(names, c.Name)
		if _, ok := subcommands[c.Name]; !ok {
			t.Errorf("cli.Commands lists %s, which main does not dispatch", c.Name)
		}
	}
	for name := range subcommands {
		if !slices.Contains(names, name) {
			t.Errorf("main dispatches %s, which cli.Commands (help, completion) does not list", name)
		}
	}
	words := map[string][]string{"weblog": weblog.Reports(), "sniff": sniff.Recipes()}
	for _, c := range cli.Commands {
		if !slices.Equal(c.Words, words[c.Name]) {
			t.Errorf("completion offers %q after %s; the subcommand knows %q", c.Words, c.Name, words[c.Name])
		}
	}
}
