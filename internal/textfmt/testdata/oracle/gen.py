import os
H = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT'
PAD = ' ' * 40
def rline(iface, dst, gw, flags, ref, use, metric, mask, mtu, win, irtt):
    return '\t'.join(str(x) for x in (iface, dst, gw, flags, ref, use, metric, mask, mtu, win, irtt)) + PAD
cases = {}
def case(name, argsets, files):
    cases[name] = (argsets, files)

case('route-empty', ['-rn', '-r', '-rCF -n'], {'route': ''})
case('route-header-only', ['-rn', '-rne'], {'route': H + '\n'})
case('route-missing-irtt', ['-rn'], {'route': H.replace('\tIRTT', '') + '\n' + rline('v0','0000000A','00000000','0001',0,0,0,'000000FF',0,0,'') + '\n'})
case('route-reordered', ['-rn'], {'route': 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMask\tMetric\t\tMTU\tWindow\tIRTT\n' + rline('v0','0000000A','00000000','0001',0,0,'000000FF',0,0,0,0) + '\n'})
case('route-extra-columns', ['-rn', '-rnee'], {'route':
    'Foo|Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tBar\tMetric\tMask\t\tMTU\tWindow\tIRTT\tBaz\n' +
    'x|v0\t0000000A\t0100000A\t0003\t1\t2\tqq\t3\t000000FF\t1500\t5\t6\textra\n' +
    'x v1 0000010A 00000000 0001 0 0 qq 0 00FFFFFF 0 0 0\n'})
long_tail = ' ' * 1100
odd = [H,
  rline('v0','0000000A','0100090A','0003',1,2,3,'000000FF',1500,65535,77),
  '\t'.join(['v0','0000000B','00000000','0001','0','0','0','000000FF','0','0']),      # 10 fields: irtt from previous
  '\t'.join(['v0','0000000C','00000000','0001','0','0','0','000000FF','0']),           # 9 fields: skipped
  rline('v0','0000000D','00000000','0000',0,0,0,'000000FF',0,0,999),                  # not UP: skipped, irtt=999
  '\t'.join(['v0','0000000E','00000000','0001','0','0','0','000000FF','0','0']),      # 10 fields: irtt 999
  rline('v0','ZZZZZZZZ','00000000','0001',0,0,0,'0000FFFF',0,0,0),                    # bad dst: previous
  rline('v0','0A','00000000','0001',0,0,0,'0000FFFF',0,0,0),                          # short dst
  rline('v0','0000000F','00000000','0001',0,0,'99999999999999999999','000000FF',0,0,0),
  rline('v0','00000010','00000000','0001',-1,2147483648,-5,'000000FF',-40,-1,4294967296),
  rline('v0','00000011','00000000','0x0003',0,0,0,'000000FF',0,0,0),
  rline('v0','00000012','00000000','FFFFFDFF',0,0,0,'000000FF',0,0,0),
  rline('v0','00000013','00000000','FFFFFFFF',0,0,7,'000000FF',0,0,0),
  rline('abcdefghijklmnop','00000014','00000000','0001',0,0,0,'000000FF',0,0,0),
  rline('abcdefghijklmnopqr','00000015','00000000','0001',0,0,0,'000000FF',0,0,0),
  rline('abcdefghijklmno','00000016','00000000','0001',0,0,0,'000000FF',0,0,0),
  '',
  '   \t  ',
  rline('v0','0a00000a','0100090a','0003',0,0,0,'00ffffff',0,0,0),
  rline('v0','0500000A','00000000','0001',0,0,0,'00FFFFFF',0,0,0),                    # host bits -> host lookup
  rline('v0','00000000','00000000','0001',0,0,0,'000000FF',0,0,0),                    # 0.0.0.0/8
  rline('lo','0000007F','0100007F','0003',0,0,0,'00FFFFFF',0,0,0),                    # loopback net, gw localhost
  rline('v0','0000FEA9','03020100','0003',0,0,0,'0000FFFF',0,0,0),                    # link-local, gw 0.1.2.3
  rline('v0','0100090A','00000000','0005',0,0,0,'FFFFFFFF',0,0,0),                    # host route gw-router
  rline('v0','0000090A','00000000','0001',0,0,0,'00FFFFFF',0,0,0),                    # 10.9.0.0/24 no name
  rline('v0','0200007F','00000000','0005',0,0,0,'FFFFFFFF',0,0,0),                    # long host name cut
  rline('v0','00000020','00000000','0201',0,0,9,'000000FF',0,0,0),                    # reject
  rline('v0','00000021','00000000','0001',0,0,0,'000000FF',0,0,0) + long_tail,        # long line, tail is its own chunk
  ' ' * 1015 + rline('v0','00000022','00000000','0001',0,0,0,'000000FF',0,0,0),       # split mid-line
  rline('v0','00000023','00000000','0001',0,0,0,'000000FF',0,0,0),
]
case('route-odd-lines', ['-rn', '-rne', '-rnee', '-rneee', '-r', '-re', '-ree'], {'route': '\n'.join(odd) + '\n'})

C22 = 'Iface\tDestination\tGateway \tFlags\t\tRefCnt\tUse\tMetric\tSource\t\tMTU\tWindow\tIRTT\tTOS\tHHRef\tHHUptod\tSpecDst'
def cline(*f): return '\t'.join(str(x) for x in f)
c22 = [C22,
  cline('v0','0100000A','0200000A','00000001',1,2,3,'0300000A',1500,0,300,0,1,1,'0400000A'),
  cline('lo','0100007F','00000000','80000000',0,10,0,'0100007F',0,0,0,16,-1,0,'0100007F'),
  cline('v0','0100090A','0200090A','FFFFFFFF',0,0,0,'0300090A',0,0,0,0,0,0,'ZZ'),
  cline('v0','0500000A','ZZ','7FFFFDFE',0,0,0,'0300090A',0,0,0,0,0,0),
  cline('abcdefghij','0100000A','0200000A','00000004',0,0,0,'0300000A',0,0,0,0,0),
  cline('v0','0100000A','0200000A','00000004',0,0,0,'0300000A',0,0),
  cline('v0','01000000','0200000A','00000200',0,0,0,'0300000A',0,0,0,1,2,3,'0400000A'),
  cline('v0','0300090A','0300090A','00000001',1,2,3,'0300090A',1500,0,300,0,1,1,'0300090A'),
  cline('v0','0200007F','0200007F','00000001',1,2,3,'0200007F',1500,0,300,0,1,1,'0200007F'),
  cline('abcdefghijklmnop','0100000A','0200000A','00000004',0,0,0,'0300000A',0,0,0,0,0,0,'0400000A'),
  cline('abcdefghijklmno','0100000A','0200000A','00000004',0,0,0,'0300000A',0,0,0,0,0,0,'0400000A'),
]
case('cache22-rows', ['-rC', '-rCn', '-rCe', '-rCne', '-rCnee', '-rCee', '-rCeee', '-rCF -n'],
     {'rt_cache': '\n'.join(c22) + '\n', 'route': H + '\n' + rline('v0','0000000A','00000000','0001',0,0,0,'000000FF',0,0,0) + '\n'})
C20 = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tSource\t\tMTU\tWindow\tIRTT\tHH\tARP'
c20 = [C20,
  cline('v0','0100000A','0200000A','0007',1,2,3,'0300000A',1500,0,300,1,0),
  cline('v0','0100000A','0200000A','0205',1,2,3,'0300000A',1500,0,300,1),
  cline('v0','0100000A','0200000A','0001',1,2,3,'0300000A',1500,0,300),
]
case('cache20-rows', ['-rCn', '-rCne', '-rCnee', '-rC'], {'rt_cache': '\n'.join(c20) + '\n'})
case('cache-empty', ['-rC'], {'rt_cache': ''})
case('cache-missing-field', ['-rC', '-rCee'], {'rt_cache': C22.replace('Gateway \t', '') + '\n'})
case('cache-missing', ['-rC', '-rCF -n'], {'route': H + '\n' + rline('v0','0000000A','00000000','0001',0,0,0,'000000FF',0,0,0) + '\n'})
case('route-missing', ['-r', '-r -6 -4 -n', '-rC'], {'ipv6_route': '00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000001 00000000 80200001       lo\n',
                                                  'rt_cache': C22 + '\n'})
Z = '0'*32
def v6(dst, dl, nh, metric, ref, use, flags, dev, src=Z, sl='00'):
    return f'{dst} {dl} {src} {sl} {nh} {metric} {ref} {use} {flags} {dev:>8}'
v6lines = [
  v6('fd000000000000000000000000000000','40',Z,'00000100','00000001','00000000','00000001','v0'),
  v6('fd010000000000000000000000000000','40','fd000000000000000000000000000002','00000400','00000001','00000000','00000003','v0'),
  v6('00000000000000000000ffff0a000001','80',Z,'00000000','00000001','00000005','01000003','v0'),
  v6('ff020000000000000000000000000001','80','00000000000000000000000000000001','ffffffff','00000001','00000000','027F023F','lo'),
  '',
  '   ',
  'fd02 40',
  v6('fd03000000000000000000000000zzzz','zz',Z,'00000001','00000002','00000003','00000001','abcdefghijklmnopq'),
  v6('00000000000000000000000000000000','00','0000000000000000000000000a000001','00000001','00000001','00000000','00000003','v0'),
  v6('fd000000000000000000000000000001','80',Z,'00000000','00000002','00000000','80200001','v0'),
]
case('v6-odd', ['-r -6', '-rn6', '-r -6 -C', '-r -6 -C -n', '-r -6 -C -F -n', '-r -6 -e', '-r -6 -N'], {'ipv6_route': '\n'.join(v6lines) + '\n'})
case('v6-missing', ['-r -6', '-r -4 -6 -n'], {'route': H + '\n'})
IG = 'Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter'
def dev(i, name, n=1): return f'{i}\t{name:<10}: {n:5d}      V3'
def grp(h, users=1): return f'\t\t\t\t{h} {users:5d} 0:00000000\t\t0'
igmp = [IG, dev(1,'lo'), grp('010000E0'), dev(2,'ab:cd'), grp('FB0000E0',3), dev(3,'averyveryverylo'),
        grp('010000E0'), '4\tx', grp('010000E0'), '\tZZ', '\t010000E0', grp('1000E0'), grp('0000000A'), grp('030201EF', -1),
        'garbage line', grp('010000E0'), dev(5,'fourteenchars1'), grp('FFFFFFFF', 2147483648)]
def g6(i, name, h, users=1): return f'{i:<4d} {name:<15} {h} {users:5d} 00000004 0'
igmp6 = [g6(1,'lo','ff020000000000000000000000000001'), g6(1,'lo','ff010000000000000000000000000001'),
         '2 v0', g6(2,'v0','ff02'), g6(2,'v0','ff020000000000000000000000000002'+'abcdef'*6),
         g6(3,'averyveryverylong','00000000000000000000ffff0a000001', -3), 'x', g6(2,'v0','00000000000000000000000000000000'),
         g6(2,'v0','fd000000000000000000000000000001')]
case('igmp-odd', ['-g', '-gn', '-g -6 -n', '-g -4 -n'], {'igmp': '\n'.join(igmp) + '\n', 'igmp6': '\n'.join(igmp6) + '\n'})
case('igmp-noidx', ['-gn'], {'igmp': 'Device    : Count Querier\tGroup    Users Timer\tReporter\nlo        :     1      V3\n' + grp('010000E0') + '\nv0        :     1      V3\n' + grp('FB0000E0') + '\n'})
case('igmp-missing', ['-g', '-gn', '-g -4 -n', '-g -v', '-g -6'], {'igmp6': '\n'.join(igmp6[:2]) + '\n'})
case('igmp6-missing', ['-gn'], {'igmp': '\n'.join(igmp[:3]) + '\n'})
case('igmp-empty', ['-gn'], {'igmp': '', 'igmp6': ''})
case('igmp-c', ['timeout 2.5 netstat -gcn'], {'igmp': '\n'.join(igmp) + '\n', 'igmp6': '\n'.join(igmp6) + '\n'})
case('masq-missing', ['-M', '-Mc -n -e'], {})

out = os.environ['OUT']
for name, (argsets, files) in cases.items():
    with open(f'{out}/{name}.txtar', 'w') as f:
        f.write('-- cmd --\n' + ''.join(a + '\n' for a in argsets))
        for k, v in files.items():
            f.write(f'-- proc/net/{k} --\n' + v)
