module github.com/netstat-go/netstat

go 1.26.8
