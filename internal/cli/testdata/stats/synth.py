#!/usr/bin/env python3
"""Write the hand-made /proc trees of the synthetic -s cases (run before capture.sh).

They exercise net-tools' generic path: keys and sections no table knows, every
sentence of every table, the table-order lookup, value quirks (-1, overflow,
non-numeric), malformed files, missing files and fgets/getline corner cases.
Kernel-format files are taken from the live capture in traffic/.
"""
import os
import re
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
TRAFFIC = os.path.join(HERE, "traffic", "proc", "net")


def read(name):
    with open(os.path.join(TRAFFIC, name), "rb") as f:
        return f.read()


def table_keys():
    """Keys of net-tools' tables, in stored order, from the Go transcription."""
    src = open(os.path.join(HERE, "..", "..", "..", "textfmt", "stats.go")).read()
    tabs = {}
    for m in re.finditer(r"var (\w+) = \[\]statEntry\{(.*?)\n\}", src, re.S):
        tabs[m.group(1)] = re.findall(r'\{"([^"]*)", ', m.group(2))
    return tabs


def pair(title, keys, values):
    return "%s: %s\n%s: %s\n" % (title, " ".join(keys), title, " ".join(values))


def write(case, files):
    root = os.path.join(HERE, case, "proc")
    shutil.rmtree(os.path.join(HERE, case), ignore_errors=True)
    os.makedirs(os.path.join(root, "net"))
    with open(os.path.join(root, ".keep"), "w"):
        pass
    for name, data in files.items():
        path = os.path.join(root, "net", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())


def merged(table, kernel):
    """Every table key plus every kernel key not in the table, table order first."""
    return table + [k for k in kernel if k not in table]


def kernel_pairs(data):
    lines = data.decode().splitlines()
    out = []
    for i in range(0, len(lines) - 1, 2):
        t, ks = lines[i].split(":", 1)
        out.append((t, ks.split()))
    return out


def main():
    tabs = table_keys()
    snmp_kernel = dict(kernel_pairs(read("snmp")))
    netstat_kernel = dict(kernel_pairs(read("netstat")))

    # 1. Everything non-zero: every sentence of every table, every unknown key.
    snmp = pair("Zero", ["Alpha", "Beta", "Gamma"], ["0", "5", "0"])
    n = 1
    for title, tab in (("Ip", "ipTab"), ("Icmp", "icmpTab"), ("Tcp", "tcpTab"), ("Udp", "udpTab")):
        keys = merged(tabs[tab], snmp_kernel[title]) + ["Future" + title]
        snmp += pair(title, keys, [str(n + i) for i in range(len(keys))])
        n += 100
        if title == "Icmp":
            snmp += pair("IcmpMsg", ["InType3", "OutType3", "InType250"], ["7", "0", "9"])
    snmp += pair("UdpLite", snmp_kernel["UdpLite"], ["1"] * len(snmp_kernel["UdpLite"]))
    snmp += pair("Sctp", ["SctpCurrEstab", "SctpFuture"], ["4", "5"])
    snmp += pair("TcpFuture", ["A", "B"], ["0", "3"])
    keys = merged(tabs["tcpExtTab"], netstat_kernel["TcpExt"]) + ["TCPFutureCounter"]
    netstat = pair("TcpExt", keys, [str(1000 + i) for i in range(len(keys))])
    netstat += pair("IpExt", netstat_kernel["IpExt"], ["2"] * len(netstat_kernel["IpExt"]))
    netstat += pair("NewExt", ["X", "Y"], ["0", "18446744073709551615"])
    snmp6 = ""
    kernel6 = [l.split()[0] for l in read("snmp6").decode().splitlines()]
    for prefix, tab in (("Ip6", "ip6Tab"), ("Icmp6", "icmp6Tab"), ("Udp6", "udp6Tab")):
        own = [k for k in kernel6 if k.startswith(prefix)]
        keys = merged(tabs[tab], own) + [prefix + "Future"]
        for i, k in enumerate(keys):
            snmp6 += "%-32s\t%d\n" % (k.strip(), 10 + i)
        if prefix == "Icmp6":
            # The real key, without the table's trailing space.
            snmp6 += "%-32s\t%d\n" % ("Icmp6OutRouterAdvertisements", 77)
    snmp6 += "%-32s\t%d\n" % ("UdpLite6InDatagrams", 3)
    snmp6 += "%-32s\t%d\n" % ("Tcp6ActiveOpens", 6)
    snmp6 += "%-32s\t%d\n" % ("Tcp6Future", 0)
    snmp6 += "%-32s\t%d\n" % ("Foo6Bar", 8)
    sctp = ""
    for i, k in enumerate(tabs["sctpTab"] + ["SctpT1InitExpireds", "SctpInPktDiscards"]):
        sctp += "%-32s\t%d\n" % (k, 20 + i)
    write("synth-all", {"snmp": snmp, "netstat": netstat, "snmp6": snmp6, "sctp/snmp": sctp})

    # 2. Value quirks, unknown sections between the known ones, histograms at zero.
    snmp = pair("Ip", ["Forwarding", "DefaultTTL", "InReceives", "OutTransmits"], ["-1", "64", "+7", "99999999999999999999999"])
    snmp += pair("Icmp", ["InMsgs", "InDestUnreachs", "OutMsgs", "OutEchos"], ["0", "0", "0", "0"])
    snmp += pair("Early", ["P", "Q"], ["3", "0"])
    snmp += pair("Icmp", ["InEchos", "OutEchos", "InEchoReps"], ["1", "2", "3"])
    snmp += pair("Late", ["R", "S"], ["4", "5"])
    snmp += pair("Tcp", ["ActiveOpens", "PassiveOpens", "OutRsts", "Extra"], ["1x2", "9", "9", "9"])
    snmp += pair("Udp", ["InDatagrams", "NoPorts", "InErrors"], ["1"])
    snmp += pair("Udp", ["InDatagrams"], ["1", "2", "3"])
    snmp += "Tab:\tKey1\tKey2\r\tKey3\nTab:\t5\t6\r\t7\n"
    snmp += "Spaced Title: K\nother: 2\n"
    snmp += "Empty:\nEmpty:\n"
    snmp += "Signs: A B C D E F\nSigns: -0 -18446744073709551615 18446744073709551616 -18446744073709551616 -2 -\n"
    netstat = pair("TcpExt", ["TW", "TWKilled", "TCPTimeouts", "TCPHPHits", "TCPLoss", "TCPDSACKUndo"], ["0", "1", "2", "0", "3", "4"])
    snmp6 = "".join([
        "Ip6InReceives 5\n",
        "Icmp6InEchos 1\n",
        "Icmp6InMsgs 2\n",
        "Icmp6OutEchoReplies 1\n",
        "Icmp6InEchoReplies 1\n",
        "Icmp6OutRouterAdvertisements 9\n",
        "Icmp6OutMsgs 0\n",
        "Udp6InDatagrams -1\n",
        "Udp6NoPorts\n",
        "\n",
        "   \t\n",
        "NoSixHere 4\n",
        "NoSixHereEither 5\n",
        "Udp6OutDatagrams 12abc\n",
        "Udp6Odd +3\n",
        "Ip6Again x\n",
        "Ip6OutRequests 99999999999999999999\n",
    ])
    # "XY" has no separator: net-tools reads its value from what "A 12345" left in the
    # buffer after "XY\0", i.e. "2345".
    sctp = "SctpCurrEstab 1\nSctpActiveEstabs\t\t2\n  SctpLeading 3\nSctpNoValue \nSctpAborteds 4\nA 12345\nXY"
    write("synth-quirks", {"snmp": snmp, "netstat": netstat, "snmp6": snmp6, "sctp/snmp": sctp})

    # 3. Malformed files: a pair without ':' ends each file, with a message for the IPv4
    # report; the IPv6 report reads the Tcp section silently.
    snmp = pair("Ip", ["Forwarding", "InReceives"], ["2", "3"])
    snmp += pair("Tcp", ["ActiveOpens", "OutRsts"], ["4", "5"])
    snmp += "Icmp InMsgs\nIcmp: 1\n"
    snmp += pair("Udp", ["InDatagrams"], ["6"])
    snmp += pair("TcpLater", ["K"], ["7"])
    netstat = pair("TcpExt", ["TW"], ["2"]) + "IpExt: InOctets\n\n" + pair("Lost", ["Z"], ["1"])
    snmp6 = "Ip6InReceives 5\nUdp6InDatagrams 1\n"
    write("synth-malformed", {"snmp": snmp, "netstat": netstat, "snmp6": snmp6})

    # 4. Line-level corners: empty lines, a final title line without values, NUL
    # bytes, fgets' 1023-byte pieces, a netstat file that is missing.
    snmp = "\n\n" + pair("Tcp", ["ActiveOpens", "OutRsts"], ["1", "2"]) + "\n"
    snmp += "Nul: A B\0C D\nNul: 1 2 3 4\n"
    snmp += "Val: A B C\nVal: 1 2\0 3\n"
    snmp += pair("TcpFuture", ["X"], ["8"])
    snmp += "Dangling: A B\n"
    snmp6 = "Ip6InReceives 9\n"
    snmp6 += "Ip6InHdrErrors" + " " * 1100 + "7\n"
    snmp6 += "Ip6InDelivers 3\0 Ip6InDiscards 4\n"
    snmp6 += "Udp6InDatagrams " + "1" * 1010 + "\n"
    snmp6 += "Udp6NoPorts 2"
    sctp = "SctpCurrEstab 5\n" + "SctpActiveEstabs" + " " * 1100 + "6\n" + "SctpAborteds 7"
    write("synth-lines", {"snmp": snmp.encode(), "snmp6": snmp6.encode(), "sctp/snmp": sctp.encode()})

    # 5. Missing files.
    write("synth-missing", {})
    write("synth-only-snmp6", {"snmp6": "Ip6InReceives 1\nTcp6Foo 2\n"})
    write("synth-only-snmp", {"snmp": pair("Tcp", ["ActiveOpens"], ["3"])})

    # 6. Files that open but cannot be read (directories): perror lines.
    write("synth-dirs", {n + "/.keep": "" for n in ("snmp", "netstat", "sctp/snmp", "snmp6")})


if __name__ == "__main__":
    main()
