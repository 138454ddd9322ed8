//go:build linux

package wine

import (
	"net"
)

func listenTCP(addr string) (*net.TCPListener, error) {
	a, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return nil, err
	}
	return net.ListenTCP("tcp", a)
}

// listenUDP binds a UDP socket of addr's own family ("udp4" keeps 0.0.0.0 an IPv4
// socket instead of Go's dual-stack [::]).
func listenUDP(addr string) (*net.UDPConn, error) {
	network := "udp4"
	if addr[0] == '[' {
		network = "udp6"
	}
	a, err := net.ResolveUDPAddr(network, addr)
	if err != nil {
		return nil, err
	}
	return net.ListenUDP(network, a)
}

// pair connects a client to ln and accepts it.
func pair(ln *net.TCPListener) (client, server net.Conn, err error) {
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		return nil, nil, err
	}
	server, err = ln.Accept()
	if err != nil {
		client.Close()
		return nil, nil, err
	}
	return client, server, nil
}
