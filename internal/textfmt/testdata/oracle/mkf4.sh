#!/bin/sh
set -e
NS=${1:-rtwF4}
ip netns add $NS
X="ip netns exec $NS"
$X ip link set lo up
$X ip link add v0 type veth peer name v1
$X ip link set v0 up; $X ip link set v1 up
$X ip addr add 10.9.0.1/24 dev v0; $X ip addr add fd00::1/64 dev v0 nodad
$X ip route add default via 10.9.0.1
$X ip route add 10.20.30.40 via 10.9.0.2 dev v0
$X ip route add 10.60.0.0/16 via 10.9.0.2 metric 100 advmss 1400 window 65535 rtt 300ms
$X ip route add unreachable 10.50.0.0/16
$X ip route add prohibit 10.51.0.0/16 metric 5
$X ip route add blackhole 10.52.0.0/16
$X ip route add 169.254.0.0/16 dev v0
$X ip route add 127.0.0.0/8 dev lo table main
$X ip route add 0.0.0.0/1 via 10.9.0.2
$X ip route add 192.168.100.0/24 via 10.9.0.2 dev v0 onlink
$X ip route add 10.70.0.0/16 dev v0 metric 4294967295
$X ip route add 10.71.0.0/16 dev v0 metric 2147483648
$X ip link add longifname12345 type veth peer name lp0; $X ip link set longifname12345 up
$X ip addr add 10.77.0.1/24 dev longifname12345
$X ip route add 10.78.0.0/16 via 10.9.0.3
$X ip route add 10.79.0.0/16 dev longifname12345 metric 7
$X ip -6 route add fd01::/64 via fd00::2
$X ip -6 route add default via fd00::2 metric 1
$X ip -6 route add unreachable fd02::/48
$X ip -6 route add fd03::5/128 dev v0
