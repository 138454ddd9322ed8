#!/usr/bin/env python3
"""Writes the hand-made /proc/net/dev and /proc/net/if_inet6 inputs of the crafted -i
fixtures (and their "crafted" file: the netstat argument sets, one per line, commas for
blanks). capture.sh then records what the real netstat prints for them."""
import os

H3 = ("Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n")


def line(name, *v):
    return "%6s:%s\n" % (name, "".join(" %7d" % x for x in v))


GOOD6 = ("fe80000000000000000000000000000a 02 40 20 80       v0\n"
         "fd000000000000000000000000000001 02 40 00 80       v0\n"
         "00000000000000000000000000000001 01 80 10 80       lo\n")
Z = (0, 0, 0, 0, 0, 0)


def units_line(name, rx, tx):
    return line(name, rx, 1, *Z, tx, 2, *Z)


LONG_TAIL = "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"
LONG = ("    v0:".ljust(511 - len(LONG_TAIL))) + LONG_TAIL  # exactly one fgets buffer
assert len(LONG) == 511

CASES = {
    "layout-packets": ("-ia -iea",
        "Inter-|   Receive                  |  Transmit\n"
        " face |packets errs drop fifo frame|packets errs drop fifo colls carrier\n"
        "    lo:     10    1    2    3    4       20    5    6    7    8     9\n"
        "    v0: 100 0 0 0 0 200 0 0 0 0 0\n"
        "    v1: 1 2 3 4 5 6 7 8 9 10 11\n", GOOD6),
    "layout-bytes": ("-ia -iea",
        "Inter-|   Receive                           |  Transmit\n"
        " face |bytes    packets errs drop fifo frame|bytes    packets errs drop fifo colls carrier\n"
        "    lo: 5000 10 1 2 3 4 6000 20 5 6 7 8 9\n"
        "    v0: 1048577 100 0 0 0 0 1073741825 200 0 0 0 0 0\n"
        "    v1: 1 2 3 4 5 6 7 8 9 10 11 12 13\n", GOOD6),
    "units": ("-iea", H3
        + units_line("lo", 1024, 1025)
        + units_line("v0", 1048576, 1048577)
        + units_line("v1", 1073741824, 1073741825)
        + units_line("abcdefghijklm", 1099511627777, 1125899906842625)
        + units_line("p15", 1152921504606846977, 18446744073709551615)
        + units_line("abc0", 999999999999, 1152921504606846976)
        + units_line("averyveryverylo", 1, 2), GOOD6),
    "quirks": ("-ia -iea", H3
        + "    lo: 1024 1 2 3 4 5 6 7 1025 8 9 10 11 12 13 14\n"
        + "    lo: 99 98\n"
        + "v1 5 6 7 8\n"
        + "  v0:1: 11 12 13\n"
        + "abcdefghijklm:123: 5 6 7\n"
        + "averyveryverylo: 1 2 3 4\n"
        + " abc0: -1 +5 18446744073709551616 x 4\n"
        + "\tp15:\t1\r2\v3\f4\n"
        + LONG + "v1: 9 8 7\n", GOOD6),
    "nul-byte": ("-ia", H3 + "    lo: 5 6\x007 8\n    v0: 1 2 3\n", GOOD6),
    "fetch-error": ("-ia -iea", H3 + line("lo", *range(16)) + line("nosuch0", *range(16))
        + line("v0", *range(16)), GOOD6),
    "empty-name": ("-ia", H3 + line("lo", *range(16)) + "\n" + line("v0", *range(16)), GOOD6),
    "header-only": ("-ia -i", H3, GOOD6),
    "one-line": ("-ia", "only one line with bytes\n", GOOD6),
    "no-dev": ("-ia -iea", None, GOOD6),
    "no-inet6": ("-iea", H3 + line("lo", *range(16)) + line("v0", *range(16)), None),
    "inet6-quirks": ("-iea", H3 + line("lo", *range(16)) + line("v0", *range(16))
        + line("v1", *range(16)),
        "fe80000000000000000000000000000a 02 40 20 80       v0\n"
        "fd000000000000000000000000000002 02 7f 00 80       v0\n"
        "00000000000000000000ffff0a090001 02 80 00 80       v0\n"
        "zzzz0000000000000000000000000003 02 40 00 80       v0\n"
        "00000000000000000000000000000000 02 00 90 80       v0\n"
        "fe800000000000000000000000000004 02 40 100 80       v0\n"
        "fe800000000000000000000000000005 02 40 60 80       v1\n"
        "fe800000000000000000000000000006 02 -1 -1 80       v1\n"
        "fe800000000000000000000000000007 02 40 0x20 80       v1\n"
        "fe800000000000000000000000000008 02 40 2x 80       v1\n"
        "fe800000000000000000000000000009 02 40 20 80 averyveryveryverylongname12\n"
        "fe80000000000000000000000000000a 02 40 20 80       v1\n"
        "fe80:0000:0000:0000:0000:0000:0000:000b 02 40 20 80 v1\n"
        "fe80000000000000000000000000000c 02 40 20 v1\n"
        "fe80000000000000000000000000000d 02 40 20 80       v0\n"
        "fe80000000000000000000000000000e"),
}

here = os.path.dirname(os.path.abspath(__file__))
for name, (args, dev, inet6) in CASES.items():
    d = os.path.join(here, name, "proc", "net")
    os.makedirs(d, exist_ok=True)
    for f, content in (("dev", dev), ("if_inet6", inet6)):
        p = os.path.join(d, f)
        if os.path.exists(p):
            os.remove(p)
        if content is not None:
            with open(p, "w", newline="") as fh:
                fh.write(content)
    with open(os.path.join(here, name, "crafted"), "w") as fh:
        fh.write(args.replace(" ", "\n") + "\n")
