#!/bin/sh
# Records the pcap fixtures of internal/sniff's tests. Run as root from this directory:
#   sudo ./record.sh
# Needs tcpdump, curl, mariadb-server, mariadb-client, openssl, libdbd-mariadb-perl, go.
# Everything runs inside a private network namespace (unshare -n) whose loopback has
# an MTU of 1500, so that long requests and statements span many segments; tcpdump -i lo
# writes Ethernet-framed pcap files (each packet once: libpcap drops loopback's
# outgoing copies).
#
# http.pcap : tcp port 80. curl requests with known User-Agents from 127.0.0.2 (3
#             Googlebot requests on one keep-alive connection), 127.0.0.3 (2 requests
#             as curl, one a POST with a body), ::1 (2 bingbot requests on one
#             connection), 127.0.0.4 (1 request with a 3000-byte User-Agent header that
#             spans three segments).
# mysql.pcap: tcp port 3306. Through the real mariadb client: a plain session
#             (UTF-8 text, a multi-line query, a 20 kB INSERT, SHOW TABLES, COM_INIT_DB),
#             one session with server-side prepared statements through DBD::MariaDB
#             (COM_STMT_PREPARE/EXECUTE with parameters), one --ssl session and one
#             --compress session.
set -eu
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
if [ "${SNIFF_IN_NETNS:-}" != 1 ]; then
	SNIFF_IN_NETNS=1 exec unshare -n "$0" "$@"
fi
here=$(pwd)
tmp=$(mktemp -d)
trap 'kill $(cat "$tmp"/pids 2>/dev/null) 2>/dev/null || true; rm -rf "$tmp"' EXIT
ip link set lo mtu 1500 up

# --- HTTP ---
go build -o "$tmp/httpd" ./httpd
"$tmp/httpd" '[::]:80' & echo $! >>"$tmp/pids"
tcpdump -i lo -U -w "$tmp/http.pcap" 'tcp port 80' 2>/dev/null & tpid=$!; echo $tpid >>"$tmp/pids"
sleep 1
ua_g='Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
ua_b='Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'
curl -s -o /dev/null --interface 127.0.0.2 -A "$ua_g" -H 'Host: example.com' \
	http://127.0.0.1/ http://127.0.0.1/robots.txt http://127.0.0.1/a/b?c=d >/dev/null
curl -s -o /dev/null --interface 127.0.0.3 http://127.0.0.1/index.html
curl -s -o /dev/null --interface 127.0.0.3 -d 'name=value&x=GET%20/fake%20HTTP/1.1' http://127.0.0.1/form
curl -s -o /dev/null -g -A "$ua_b" 'http://[::1]/' 'http://[::1]/sitemap.xml' >/dev/null
curl -s -o /dev/null --interface 127.0.0.4 -A "slurp $(head -c 3000 /dev/zero | tr '\0' x)" http://127.0.0.1/long
sleep 1
kill "$tpid"; wait "$tpid" || true
cp "$tmp/http.pcap" "$here/http.pcap"

# --- MariaDB ---
mkdir "$tmp/db"
mariadb-install-db --no-defaults --user=root --datadir="$tmp/db" --auth-root-authentication-method=normal >/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
mariadbd --no-defaults --user=root --datadir="$tmp/db" --socket="$tmp/sock" \
	--port=3306 --bind-address=127.0.0.1 --skip-name-resolve --pid-file="$tmp/pid" \
	--ssl-cert="$tmp/cert.pem" --ssl-key="$tmp/key.pem" >"$tmp/err.log" 2>&1 & echo $! >>"$tmp/pids"
for _ in $(seq 50); do [ -S "$tmp/sock" ] && break; sleep 0.2; done
mariadb --no-defaults -S "$tmp/sock" -u root -e "CREATE DATABASE shop; CREATE DATABASE logs; CREATE USER 'app'@'%' IDENTIFIED BY 'secret'; GRANT ALL ON shop.* TO 'app'@'%'; GRANT ALL ON logs.* TO 'app'@'%'; CREATE TABLE shop.t (id INT, name TEXT, price DOUBLE, d DATETIME) DEFAULT CHARSET=utf8mb4"
tcpdump -i lo -U -w "$tmp/mysql.pcap" 'tcp port 3306' 2>/dev/null & tpid=$!; echo $tpid >>"$tmp/pids"
sleep 1
big=$(head -c 20000 /dev/zero | tr '\0' y)
mariadb --no-defaults --default-character-set=utf8mb4 --skip-ssl -h 127.0.0.1 -P 3306 -u app -psecret shop <<SQL
INSERT INTO t (id, name) VALUES (1, 'Grüße, 世界');
SELECT id,
       name
  FROM t
 WHERE id = 1;
INSERT INTO t (id, name) VALUES (2, '$big');
SHOW TABLES;
use logs
SELECT 1;
SQL
perl -MDBI -e '
	my $dbh = DBI->connect("DBI:MariaDB:database=shop;host=127.0.0.1;port=3306", "app", "secret",
		{ RaiseError => 1, mariadb_server_prepare => 1 });
	my $sth = $dbh->prepare("INSERT INTO t (id, name, price, d) VALUES (?, ?, ?, ?)");
	$sth->execute(3, "it'\''s", 2.5, "2026-01-02 03:04:05");
	$sth->execute(4, undef, -1, "2026-12-31 23:59:59");
	$dbh->disconnect;'
mariadb --no-defaults --ssl -h 127.0.0.1 -P 3306 -u app -psecret shop -e 'SELECT 42'
mariadb --no-defaults --skip-ssl --compress -h 127.0.0.1 -P 3306 -u app -psecret shop -e 'SELECT 43'
sleep 1
kill "$tpid"; wait "$tpid" || true
kill "$(cat "$tmp/pid")"
cp "$tmp/mysql.pcap" "$here/mysql.pcap"
ls -l "$here"/*.pcap
