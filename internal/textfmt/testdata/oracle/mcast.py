import socket, struct, signal
keep = []
def j4(group, ifaddr):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(group) + socket.inet_aton(ifaddr))
    keep.append(s)
def j6(group, ifname):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    mreq = socket.inet_pton(socket.AF_INET6, group) + struct.pack('@I', socket.if_nametoindex(ifname))
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    keep.append(s)
j4("239.1.2.3", "10.9.0.1"); j4("239.1.2.3", "10.9.0.1")
j4("224.0.0.251", "10.9.0.1")
j4("239.255.255.250", "10.10.0.1")
j6("ff02::fb", "v0"); j6("ff05::1:3", "v0"); j6("ff05::1:3", "v0")
j6("ff02::2", "tenletters")
print("READY", flush=True)
signal.pause()
