//go:build !windows

package main

import (
	"context"
	"os"

	"github.com/netstat-go/netstat/internal/cli"
)

// platformMain is the net-tools command line.
func platformMain(args []string) int {
	return cli.Main(context.Background(), args, os.Stdout, os.Stderr, os.LookupEnv)
}
