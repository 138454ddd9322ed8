#!/bin/sh
set -e
NS=${1:-rtwF5}
ip netns add $NS
X="ip netns exec $NS"
$X ip link set lo up
$X ip link add v0 type veth peer name v1
$X ip link set v0 up; $X ip link set v1 up
$X ip addr add 10.9.0.1/24 dev v0; $X ip addr add fd00::1/64 dev v0 nodad
$X ip link add tenletters type veth peer name elevenchars
$X ip link set tenletters up; $X ip link set elevenchars up
$X ip addr add 10.10.0.1/24 dev tenletters
$X ip link add fourteenchars1 type veth peer name averyveryverylo
$X ip link set fourteenchars1 up; $X ip link set averyveryverylo up
$X ip addr add fd00:1::1/64 dev averyveryverylo nodad
