// SPDX-License-Identifier: GPL-2.0
// A TCP socket iterator that writes, per socket, the fields a `netstat -tan` row is
// made of (family, state, ports, addresses, receive and send queue) as one fixed
// 64-byte record. Reading it is the cheapest way the kernel offers to get those
// fields: make bench times it as the floor of `netstat -tanc` per refresh.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct row {
	__u16 family;
	__u8 state;
	__u8 pad;
	__u16 local_port;
	__u16 remote_port;
	__u64 v4_pair;
	__u32 local6[4];
	__u32 remote6[4];
	__u32 recv_q;
	__u32 send_q;
	__u32 uid;
	__u32 pad2;
};

SEC("iter/tcp")
int tan_rows(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct row r = {};
	struct tcp_sock *tp;
	int i;

	if (!skc)
		return 0;
	r.family = skc->skc_family;
	r.state = skc->skc_state;
	r.local_port = skc->skc_num;
	r.remote_port = skc->skc_dport;
	r.v4_pair = skc->skc_addrpair;
	for (i = 0; i < 4; i++) {
		r.local6[i] = skc->skc_v6_rcv_saddr.in6_u.u6_addr32[i];
		r.remote6[i] = skc->skc_v6_daddr.in6_u.u6_addr32[i];
	}
	r.uid = ctx->uid;
	tp = bpf_skc_to_tcp_sock(skc);
	if (tp) {
		if (r.state == TCP_LISTEN)
			r.recv_q = tp->inet_conn.icsk_inet.sk.sk_ack_backlog;
		else
			r.recv_q = tp->rcv_nxt - tp->copied_seq;
		r.send_q = tp->write_seq - tp->snd_una;
	}
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

char _license[] SEC("license") = "GPL";
