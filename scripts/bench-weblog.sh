#!/bin/sh
# Benchmarks `netstat weblog` against the cheat sheet's awk|sort|uniq pipelines (gawk
# and mawk) and GoAccess on generated logs: 1M combined lines with a trailing response
# time (about 220 MB; 4,000 clients, 3,000 URLs) and 1M Squid combined lines. Prints
# wall and CPU seconds, peak RSS and the ratios (wall-clock, and CPU time: "cpu x g"
# for gawk), side by side, in one run.
# Usage: [RUNS=N] scripts/bench-weblog.sh [LINES]   (run as root to install goaccess if
# missing; RUNS: runs per command, the least times kept)
set -eu
LINES=${1:-1000000}
export LC_ALL=C
cd "$(dirname "$0")/.."
for tool in gawk mawk goaccess; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "installing $tool"
		apt-get -o DPkg::Lock::Timeout=600 install -y -qq $tool >/dev/null
	fi
done
[ -x /usr/bin/time ] || apt-get -o DPkg::Lock::Timeout=600 install -y -qq time >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The release build: profile-guided optimisation with cmd/netstat/release.pgo, as make build.
CGO_ENABLED=0 go build -pgo=cmd/netstat/release.pgo -trimpath -o "$dir/netstat" ./cmd/netstat
go build -o "$dir/gen" ./internal/weblog/gen/weblog-gen
L=$dir/access.log
S=$dir/squid.log
"$dir/gen" -lines "$LINES" -clients 4000 -urls 3000 -format combined-time >"$L"
"$dir/gen" -lines "$LINES" -clients 4000 -urls 3000 -format squid-combined -seed 2 >"$S"
N="$dir/netstat weblog"
printf 'machine: %s, %s cores, %s MB RAM; load %s\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)" "$(free -m | awk '/Mem:/{print $2}')" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'log: %s lines, %s bytes; squid log: %s bytes; %s run(s) per command, least times kept\n' "$LINES" "$(stat -c %s "$L")" "$(stat -c %s "$S")" "${RUNS:-1}"
cat "$L" "$S" >/dev/null # page cache

# measure CMD: prints "wall cpu rss_kb" of a shell command (its whole pipeline): the
# least wall and the least CPU time of $RUNS runs (default 1; more on a shared
# machine), and the largest peak RSS. The shell running CMD reads the wall clock
# (bash's EPOCHREALTIME, in microseconds) just before and just after it, so the time
# counts every process of the pipeline and not the start of GNU time and of the shell
# (about 10 ms here; GNU time's own %e has centiseconds, 10 % of a single report).
# CPU time and RSS come from GNU time.
measure() {
	: >"$dir/ts"
	i=0
	while [ "$i" -lt "${RUNS:-1}" ]; do
		/usr/bin/time -f '%U %S %M' -o "$dir/t" bash -c "s=\$EPOCHREALTIME; $1; e=\$EPOCHREALTIME; echo \"\$s \$e\" >&3" >"$dir/out" 2>/dev/null 3>"$dir/wall" || true
		echo "$(awk '{printf "%d", ($2 - $1) * 1e6}' "$dir/wall") $(cat "$dir/t")" >>"$dir/ts"
		i=$((i + 1))
	done
	awk 'NR == 1 || $1 < w {w = $1} NR == 1 || $2+$3 < c {c = $2+$3} $4 > m {m = $4} END {printf "%.3f %.2f %d\n", w / 1e6, c, m}' "$dir/ts"
}

# name ^ pipeline (awk stands for gawk or mawk) ^ our command
recipes='top-ips^awk '"'"'{print $1}'"'"' L | sort | uniq -c | sort -nr | head -10^top-ips L
top-urls^awk '"'"'{print $7}'"'"' L | sort | uniq -c | sort -nr | head -20^top-urls L
largest^awk '"'"'($7~/\.exe/){print $10 " " $1 " " $4 " " $7}'"'"' L | sort -nr | head -20^largest --match \.exe L
big^awk '"'"'($10 > 200000 \&\& $7~/\.exe/){print $7}'"'"' L | sort -n | uniq -c | sort -nr | head -100^big --match \.exe --min-bytes 200000 L
slowest^awk '"'"'($7~/\.php/){print $NF " " $1 " " $4 " " $7}'"'"' L | sort -nr | head -100^slowest --match \.php L
slow-60^awk '"'"'($NF > 60 \&\& $7~/\.php/){print $7}'"'"' L | sort -n | uniq -c | sort -nr | head -100^slow --match \.php --over 60 L
slow-30^awk '"'"'($NF > 30){print $7}'"'"' L | sort -n | uniq -c | sort -nr | head -20^slow --over 30 --top 20 L
traffic^awk '"'"'{sum+=$10} END {print sum/1024/1024/1024}'"'"' L^traffic L
404s^awk '"'"'($9 ~/404/)'"'"' L | awk '"'"'{print $9,$7}'"'"' | sort^status-list --status 404 L
status^awk '"'"'{print $9}'"'"' L | sort | uniq -c | sort -rn^status L
domains^awk '"'"'{print $10,$7}'"'"' S | awk '"'"'BEGIN{FS="[ /]"}{trfc[$4]+=$1}END{for(domain in trfc){printf "%s\\t%d\\n",domain,trfc[domain]}}'"'"'^domains S'

printf '\n%-9s %22s %22s %22s %8s %8s %8s %6s\n' report "gawk s (cpu) MB" "mawk s (cpu) MB" "ours s (cpu) MB" "x gawk" "x mawk" "cpu x g" same
gsum=0; msum=0
printf "%s\n" "$recipes" | while IFS='^' read -r name pipe cmd; do
	p=$(printf "%s\n" "$pipe" | sed "s# L# $L#g; s# S# $S#g; s#\\\\&#\\&#g")
	c=$(printf "%s\n" "$cmd" | sed "s#\\bL\$#$L#; s#\\bS\$#$S#")
	set -- $(measure "$(printf "%s\n" "$p" | sed 's/\bawk /gawk /g')")
	gw=$1 gc=$2 gm=$3
	cp "$dir/out" "$dir/gawk.out"
	set -- $(measure "$(printf "%s\n" "$p" | sed 's/\bawk /mawk /g')")
	mw=$1 mc=$2 mm=$3
	set -- $(measure "$N $c")
	ow=$1 oc=$2 om=$3
	same=yes
	[ "$name" = domains ] && same=n/a
	[ "$name" != domains ] && ! cmp -s "$dir/out" "$dir/gawk.out" && same=NO
	printf '%-9s %8s (%5s) %5d %8s (%5s) %5d %8s (%5s) %5d %8.1f %8.1f %8.1f %6s\n' "$name" "$gw" "$gc" $((gm / 1024)) "$mw" "$mc" $((mm / 1024)) "$ow" "$oc" $((om / 1024)) \
		"$(echo "$gw $ow" | awk '{print $1/($2>0?$2:0.01)}')" "$(echo "$mw $ow" | awk '{print $1/($2>0?$2:0.01)}')" "$(echo "$gc $oc" | awk '{print $1/($2>0?$2:0.01)}')" "$same"
	[ "$name" = domains ] || echo "$gw $mw $gc $mc" >>"$dir/sums"
done
set -- $(awk '{g+=$1; m+=$2; gc+=$3; mc+=$4} END {printf "%.2f %.2f %.2f %.2f", g, m, gc, mc}' "$dir/sums")
gall=$1 mall=$2 gcall=$3 mcall=$4
set -- $(measure "$N report $L")
rw=$1 rc=$2 rm=$3
set -- $(measure "goaccess $L --log-format='%h %^[%d:%t %^] \"%r\" %s %b \"%R\" \"%u\" %T' --date-format=%d/%b/%Y --time-format=%T --no-global-config -o $dir/goaccess.html")
aw=$1 ac=$2 am=$3
set -- $(measure "$N report --html $dir/ours.html $L")
hw=$1 hc=$2 hm=$3
printf '\nall ten web pipelines: gawk %ss (cpu %ss), mawk %ss (cpu %ss)\n' "$gall" "$gcall" "$mall" "$mcall"
printf 'ours: report (text) %ss (cpu %ss, %d MB peak RSS); report --html %ss (cpu %ss, %d MB)\n' "$rw" "$rc" $((rm / 1024)) "$hw" "$hc" $((hm / 1024))
printf 'GoAccess (HTML): %ss (cpu %ss, %d MB)\n' "$aw" "$ac" $((am / 1024))
echo "$gall $mall $rw $aw $hw" | awk '{printf "ratios: report vs gawk pipelines %.1fx, vs mawk pipelines %.1fx, report --html vs GoAccess %.1fx\n", $1/$3, $2/$3, $4/$5}'
echo "$gcall $mcall $rc $ac $hc" | awk '{printf "cpu-time ratios: report vs gawk pipelines %.1fx, vs mawk pipelines %.1fx, report --html vs GoAccess %.1fx\n", $1/$3, $2/$3, $4/$5}'
size=$(stat -c %s "$L")
echo "$size $rw $rc" | awk '{printf "throughput: %.0f MB/s wall, %.0f MB per cpu-second (report, plain file)\n", $1/1e6/$2, $1/1e6/$3}'
gzip -1 -c "$L" >"$L.gz"
set -- $(measure "$N report $L.gz")
printf 'gzip input: report %ss (cpu %ss, %d MB)\n' "$1" "$2" $(($3 / 1024))
