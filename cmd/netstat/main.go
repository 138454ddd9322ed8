// Command netstat prints network connections, routing tables, interface statistics,
// multicast memberships and protocol statistics, compatible with net-tools 2.10.
package main

import (
	"context"
	"os"

	"github.com/netstat-go/netstat/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args, os.Stdout, os.Stderr, os.LookupEnv))
}
