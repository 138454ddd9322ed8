module github.com/netstat-go/netstat

go 1.26.8

require (
	github.com/google/go-cmp v0.7.0
	github.com/gopacket/gopacket v1.7.7
	golang.org/x/net v0.63.0
	golang.org/x/sys v0.50.0
)
