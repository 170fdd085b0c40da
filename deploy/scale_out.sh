#!/usr/bin/env bash
# The scale-out recipe, tested: two c3dmock instances behind nginx, which
# hashes on the sandbox selector (deploy/nginx.conf.template) so that a
# sandbox always lands on the same instance. Writes through one sandbox, reads
# it back through the balancer, shows other sandboxes and the default one
# untouched, and that every sandbox sticks to one instance.
#
# Needs nginx (Debian: apt-get install -y nginx-light), curl and python3 (to
# pick free ports); runs everything on 127.0.0.1 as the current user and
# cleans up on exit. Not part of .ci/run (it needs nginx); run it by hand:
#   deploy/scale_out.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nginx >/dev/null || { echo "needs nginx: apt-get install -y nginx-light" >&2; exit 2; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

read -r p1 d1 p2 d2 lb lbd < <(python3 -c '
import socket
socks=[socket.socket() for _ in range(6)]
for s in socks: s.bind(("127.0.0.1",0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')

go build -o "$tmp/c3dmock" .
for pair in "$p1 $d1" "$p2 $d2"; do
  set -- $pair
  "$tmp/c3dmock" serve --quiet --seed 1 --now 2026-11-01T12:00:00Z --addr "127.0.0.1:$1" --data-addr "127.0.0.1:$2" >/dev/null &
  pids+=($!)
done
mkdir -p "$tmp"/{body,proxy,fastcgi,uwsgi,scgi}
sed -e "s|@TMP@|$tmp|g" -e "s|@PUBLIC_PORT@|$lb|" -e "s|@DATA_PORT@|$lbd|" \
  -e "s|@PUBLIC_SERVERS@|server 127.0.0.1:$p1; server 127.0.0.1:$p2;|" \
  -e "s|@DATA_SERVERS@|server 127.0.0.1:$d1; server 127.0.0.1:$d2;|" \
  deploy/nginx.conf.template >"$tmp/nginx.conf"
nginx -t -p "$tmp" -c "$tmp/nginx.conf" 2>&1 | grep -q "test is successful" || { nginx -t -p "$tmp" -c "$tmp/nginx.conf"; exit 1; }
nginx -p "$tmp" -c "$tmp/nginx.conf" -g 'daemon off;' &
pids+=($!)

for port in "$p1" "$p2" "$lb"; do
  for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$port/__c3dmock/healthz" && break; sleep 0.05; done
done

fail=0
check() { # check WHAT GOT WANT
  if [ "$2" = "$3" ]; then echo "ok   $1: $2"; else echo "FAIL $1: got $2, want $3"; fail=1; fi
}
# name HOST:PORT [curl args...]: the project's name and the instance that answered
name() {
  local out
  out=$(curl -fs -D "$tmp/h" "http://$1/v0/projects/4460" "${@:2}")
  python3 -c 'import json,sys; print(json.loads(sys.argv[1])["name"])' "$out"
}
upstream() { tr -d '\r' <"$tmp/h" | awk 'tolower($1)=="x-c3dmock-upstream:" {print $2}'; }

lbaddr="127.0.0.1:$lb"
original=$(name "$lbaddr" -H 'Authorization: orgkey-demo-readonly')

echo "== write in sandbox job42 through the balancer (key suffix)"
curl -fs -D "$tmp/h" -o /dev/null -X PUT -H 'Authorization: orgkey-demo-readwrite@job42' -H 'Content-Type: application/json' \
  -d '{"name":"Renamed in job42"}' "http://$lbaddr/v0/projects/4460"
home=$(upstream)
echo "job42 lives on $home"

echo "== read it back through the balancer"
check "job42 by header" "$(name "$lbaddr" -H 'C3dmock-Sandbox: job42' -H 'Authorization: orgkey-demo-readonly')" "Renamed in job42"
check "job42 by header, instance" "$(upstream)" "$home"
check "job42 by key suffix" "$(name "$lbaddr" -H 'Authorization: orgkey-demo-readonly@job42')" "Renamed in job42"
check "job42 by key suffix, instance" "$(upstream)" "$home"
cookie=$(curl -fs -c - -o /dev/null -H 'C3dmock-Sandbox: job42' -H 'Content-Type: application/json' \
  -d '{"email":"admin@demo.example","password":"demo-password"}' "http://$lbaddr/v0/sessions" | awk '$6=="c3d_session_v5" {print $7}')
check "job42 by its login cookie" "$(name "$lbaddr" -H "Cookie: c3d_session_v5=$cookie")" "Renamed in job42"
check "job42 by its login cookie, instance" "$(upstream)" "$home"

echo "== other sandboxes are isolated"
check "sandbox job43" "$(name "$lbaddr" -H 'C3dmock-Sandbox: job43' -H 'Authorization: orgkey-demo-readonly')" "$original"
check "default sandbox" "$(name "$lbaddr" -H 'Authorization: orgkey-demo-readonly')" "$original"
other="127.0.0.1:$p1"
[ "$home" = "127.0.0.1:$p1" ] && other="127.0.0.1:$p2"
check "job42 on the other instance, directly" "$(name "$other" -H 'Authorization: orgkey-demo-readonly@job42')" "$original"

echo "== every sandbox sticks to one instance"
declare -A seen
for i in $(seq 0 15); do
  name "$lbaddr" -H "C3dmock-Sandbox: box$i" -H 'Authorization: orgkey-demo-readonly' >/dev/null; a=$(upstream)
  name "$lbaddr" -H "Authorization: orgkey-demo-readonly@box$i" >/dev/null; b=$(upstream)
  check "box$i by header and by key suffix" "$b" "$a"
  seen[$a]=1
done
check "instances used by 16 sandboxes" "${#seen[@]}" "2"

echo "== the Data Collector is balanced the same way"
curl -fs -o /dev/null -D "$tmp/h" -H 'Authorization: APIKEY:DEVELOPER demo-developer-key@job42' "http://127.0.0.1:$lbd/v0/user"
dhome=$(upstream)
curl -fs -o /dev/null -D "$tmp/h" -H 'C3dmock-Sandbox: job42' -H 'Authorization: APIKEY:DEVELOPER demo-developer-key' "http://127.0.0.1:$lbd/v0/user"
check "job42 on the Data Collector, instance" "$(upstream)" "$dhome"

[ "$fail" = 0 ] && echo "scale-out recipe passed" || { echo "scale-out recipe FAILED"; exit 1; }
