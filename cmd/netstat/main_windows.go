//go:build windows

package main

import (
	"context"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/netstat-go/netstat/internal/winnetstat"
	"github.com/netstat-go/netstat/internal/winsource"
)

// platformMain is Windows netstat's command line over the IP Helper API. Ctrl+C
// ends an interval's redisplay.
func platformMain(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	computer, _ := os.Hostname()
	names := &winsource.Names{Computer: computer, LookupAddr: net.DefaultResolver.LookupAddr, Timeout: 2 * time.Second}
	if b, err := os.ReadFile(filepath.Join(os.Getenv("SystemRoot"), `System32\drivers\etc\services`)); err == nil {
		names.Services = winsource.ParseServicesFile(b)
	}
	env := &winnetstat.Env{Host: winsource.New(), Names: names}
	return winnetstat.Run(ctx, args[1:], os.Stdout, os.Stderr, env)
}
