package weblog

import (
	"context"
	"io"

	"github.com/netstat-go/netstat/internal/weblog/agg"
)

func follow(ctx context.Context, o *options, cfg *agg.Config, stdout, stderr io.Writer) error {
	return nil
}
