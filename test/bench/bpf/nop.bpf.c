// SPDX-License-Identifier: GPL-2.0
// An empty TCP socket iterator: reading it costs the kernel's walk of the socket
// tables (hash buckets, batching, socket references and locks) and nothing else. make
// bench times it as the floor under any way of listing TCP sockets.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("iter/tcp")
int walk_only(struct bpf_iter__tcp *ctx)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
