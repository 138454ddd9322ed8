package top

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netstat-go/netstat/internal/source"
	"github.com/netstat-go/netstat/netstat"
)

func TestRunWithoutTerminal(t *testing.T) {
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	for _, tt := range []struct {
		name  string
		stdin io.Reader
	}{{"reader", strings.NewReader("")}, {"devnull", devnull}} {
		var out, errb bytes.Buffer
		rc := Run(context.Background(), nil, tt.stdin, &out, &errb)
		if rc != 2 || out.Len() != 0 || strings.Count(errb.String(), "\n") != 1 ||
			!strings.Contains(errb.String(), "needs a terminal") {
			t.Errorf("%s: rc %d stdout %q stderr %q", tt.name, rc, out.String(), errb.String())
		}
	}
}

func TestRunUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if rc := Run(context.Background(), []string{"--help"}, strings.NewReader(""), &out, &errb); rc != 0 || !strings.HasPrefix(out.String(), "usage: netstat top") {
		t.Errorf("--help: rc %d %q", rc, out.String())
	}
	for _, args := range [][]string{{"--bogus"}, {"--interval", "1ms"}, {"extra"}} {
		out.Reset()
		errb.Reset()
		if rc := Run(context.Background(), args, strings.NewReader(""), &out, &errb); rc != 2 || strings.Count(errb.String(), "\n") != 2 {
			t.Errorf("%q: rc %d stderr %q", args, rc, errb.String())
		}
	}
}

func TestOptionsQuery(t *testing.T) {
	o, rc := parseArgs([]string{"-t", "-6", "--interval", "2s", "-n"}, &bytes.Buffer{})
	if rc != 0 || o.interval != 2*time.Second || !o.numeric {
		t.Fatalf("parse: %+v %d", o, rc)
	}
	q := o.query()
	if len(q.Protos) != 1 || q.Protos[0] != netstat.TCP || len(q.Families) != 1 || q.Families[0] != netstat.IPv6 {
		t.Errorf("query %+v", q)
	}
	o, _ = parseArgs(nil, &bytes.Buffer{})
	if q := o.query(); len(q.Protos) != 2 || q.Extras != 0 {
		t.Errorf("default query %+v: want TCP and UDP", q)
	}
	m := New(context.Background(), Config{Query: source.Query{}})
	if m.cfg.Query.Extras&(source.WithOwners|source.WithTCPInfo) == 0 {
		t.Error("the model does not ask for owners and tcp_info")
	}
}
