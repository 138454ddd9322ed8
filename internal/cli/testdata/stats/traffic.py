#!/usr/bin/env python3
"""Generate loopback traffic inside a private network namespace (used by capture.sh).

Everything is bounded: every socket has a timeout and every loop a fixed count.
"""
import os
import socket
import struct


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def icmp4(kind, ident, seq, payload):
    hdr = struct.pack("!BBHHH", kind, 0, 0, ident, seq)
    c = csum(hdr + payload)
    return struct.pack("!BBHHH", kind, 0, c, ident, seq) + payload


def drain(s, n):
    for _ in range(n):
        try:
            s.recvfrom(65536)
        except OSError:
            break


def ipv4_icmp():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s.settimeout(0.5)
    for seq in range(3):
        s.sendto(icmp4(8, 0x1234, seq, b"netstat-go" * 4), ("127.0.0.1", 0))
    # Timestamp request (type 13): 3 x 32-bit timestamps.
    s.sendto(icmp4(13, 0x1234, 9, b"\0" * 12), ("127.0.0.1", 0))
    drain(s, 16)
    s.close()


def udp(family, host):
    r = socket.socket(family, socket.SOCK_DGRAM)
    r.settimeout(0.5)
    r.bind((host, 0))
    port = r.getsockname()[1]
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.sendto(b"hello", (host, port))
    # Larger than the 1500-byte MTU: fragmented and reassembled.
    if family == socket.AF_INET:
        s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER = IP_PMTUDISC_DONT
    s.sendto(b"x" * 3000, (host, port))
    drain(r, 2)
    # A closed port: ICMP port unreachable.
    c = socket.socket(family, socket.SOCK_DGRAM)
    c.bind((host, 0))
    closed = c.getsockname()[1]
    c.close()
    for _ in range(2):
        s.sendto(b"nobody", (host, closed))
    s.close()
    r.close()


def tcp(family, host, conns):
    l = socket.socket(family, socket.SOCK_STREAM)
    l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((host, 0))
    l.listen(8)
    l.settimeout(2)
    port = l.getsockname()[1]
    for i in range(conns):
        c = socket.create_connection((host, port), timeout=2)
        a, _ = l.accept()
        a.settimeout(2)
        c.sendall(b"ping" * (100 * (i + 1)))
        got = 0
        while got < 400 * (i + 1):
            got += len(a.recv(65536))
        a.sendall(b"pong" * 50)
        got = 0
        while got < 200:
            got += len(c.recv(65536))
        c.close()
        a.close()
    # Close with unread data: the kernel sends a RST (TCPAbortOnClose).
    c = socket.create_connection((host, port), timeout=2)
    a, _ = l.accept()
    c.sendall(b"unread")
    import time
    time.sleep(0.05)
    a.close()
    c.close()
    l.close()
    # A closed port: connection refused (RST).
    d = socket.socket(family, socket.SOCK_STREAM)
    d.bind((host, 0))
    closed = d.getsockname()[1]
    d.close()
    try:
        socket.create_connection((host, closed), timeout=2)
    except OSError:
        pass


def ipv6_icmp():
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.settimeout(0.5)
    for seq in range(2):
        # The kernel computes ICMPv6 checksums on raw ICMPv6 sockets.
        s.sendto(struct.pack("!BBHHH", 128, 0, 0, 0x4321, seq) + b"v6" * 8, ("::1", 0))
    drain(s, 8)
    s.close()


if __name__ == "__main__":
    ipv4_icmp()
    udp(socket.AF_INET, "127.0.0.1")
    tcp(socket.AF_INET, "127.0.0.1", 4)
    ipv6_icmp()
    udp(socket.AF_INET6, "::1")
    tcp(socket.AF_INET6, "::1", 2)
