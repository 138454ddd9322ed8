/* glibc_driver runs the real glibc getopt_long over a command line and prints
 * every result, for the differential test in glibc_test.go (which builds it).
 *
 * Usage: glibc_driver TABLE OPTSTRING ARGV0 [ARGS...]
 * TABLE 0 is netstat's long-option table, 1 the generic table below. Diagnostics
 * (stderr) are redirected into stdout so that their position is kept. Set
 * POSIXLY_CORRECT in the environment to test that mode. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct option netstat_opts[] = {
    {"ax25", 0, 0, 1}, {"x25", 0, 0, 1}, {"ip", 0, 0, 1}, {"ipx", 0, 0, 1},
    {"appletalk", 0, 0, 1}, {"netrom", 0, 0, 1}, {"inet", 0, 0, 1}, {"inet6", 0, 0, 1},
    {"ddp", 0, 0, 1}, {"rose", 0, 0, 1}, {"unix", 0, 0, 1}, {"bluetooth", 0, 0, 1},
    {"tcpip", 0, 0, 1},
    {"version", 0, 0, 'V'}, {"interfaces", 0, 0, 'i'}, {"help", 0, 0, 'h'},
    {"route", 0, 0, 'r'}, {"masquerade", 0, 0, 'M'}, {"protocol", 1, 0, 'A'},
    {"tcp", 0, 0, 't'}, {"sctp", 0, 0, 'S'}, {"udp", 0, 0, 'u'}, {"udplite", 0, 0, 'U'},
    {"raw", 0, 0, 'w'}, {"unix", 0, 0, 'x'}, {"l2cap", 0, 0, '2'}, {"rfcomm", 0, 0, 'f'},
    {"listening", 0, 0, 'l'}, {"all", 0, 0, 'a'}, {"timers", 0, 0, 'o'},
    {"continuous", 0, 0, 'c'}, {"extend", 0, 0, 'e'}, {"programs", 0, 0, 'p'},
    {"verbose", 0, 0, 'v'}, {"statistics", 0, 0, 's'}, {"wide", 0, 0, 'W'},
    {"numeric", 0, 0, 'n'}, {"numeric-hosts", 0, 0, '!'}, {"numeric-ports", 0, 0, '@'},
    {"numeric-users", 0, 0, '#'}, {"symbolic", 0, 0, 'N'}, {"cache", 0, 0, 'C'},
    {"fib", 0, 0, 'F'}, {"groups", 0, 0, 'g'}, {"context", 0, 0, 'Z'},
    {0, 0, 0, 0}};

/* Must match genericOptions in glibc_test.go. */
static struct option generic_opts[] = {
    {"alpha", 0, 0, 'a'}, {"beta", 1, 0, 'b'}, {"gamma", 2, 0, 'g'},
    {"alp", 1, 0, 'x'}, {"delta", 0, 0, 'a'}, {"debug", 2, 0, 'd'},
    {"de", 0, 0, 'e'}, {"file", 1, 0, 'f'}, {"files", 1, 0, 'f'},
    {0, 0, 0, 0}};

int main(int argc, char **argv) {
    if (argc < 4)
        return 2;
    struct option *tab = atoi(argv[1]) ? generic_opts : netstat_opts;
    const char *optstring = argv[2];
    char **av = argv + 3;
    int ac = argc - 3;
    dup2(1, 2);
    setvbuf(stdout, NULL, _IONBF, 0);
    for (;;) {
        int li = -1;
        int c = getopt_long(ac, av, optstring, tab, &li);
        if (c == -1)
            break;
        if (optarg)
            printf("R opt=%d arg=[%s] longind=%d optopt=%d optind=%d\n", c, optarg, li, optopt, optind);
        else
            printf("R opt=%d arg=NULL longind=%d optopt=%d optind=%d\n", c, li, optopt, optind);
    }
    printf("END optind=%d\n", optind);
    for (int i = 0; i < ac; i++)
        printf("A [%s]\n", av[i]);
    return 0;
}
