#!/usr/bin/env bash
# The scale-out recipe, tested on loopback: two c3dmock instances behind nginx
# (deploy/nginx.conf.template), which hashes on the sandbox selector so that a
# sandbox always lands on the same instance, for the public API and the Data
# Collector alike. It writes through one sandbox and reads it back through the
# balancer (header, key suffix, login cookie, both hosts), shows other
# sandboxes and the default one untouched, that every sandbox sticks to one
# instance, that bodies up to 10 MiB pass, and that stopping the other
# instance leaves the sandbox where it was. Exits non-zero on any mismatch.
#
# Usage: deploy/scale_out.sh [--install]
#   Needs nginx (Debian: apt-get install -y nginx-light; --install runs that
#   when nginx is missing), go, curl and python3 (free ports, JSON). Runs as
#   the current user on 127.0.0.1 only, and stops everything it started and
#   removes its temp dir on exit. Not part of .ci/run (it needs nginx, ~10 s).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nginx >/dev/null; then
  if [ "${1:-}" != --install ]; then
    echo "needs nginx: apt-get install -y nginx-light (or run $0 --install)" >&2
    exit 2
  fi
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y nginx-light
fi
for tool in go curl python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done

tmp=$(mktemp -d)
chmod 755 "$tmp" # nginx's workers run as nobody when started by root
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Free loopback ports: two per instance (public, Data Collector) and two for
# nginx. nginx needs real ports, so they are picked here (a port could be
# taken in between; rerun if a listen fails).
read -r p1 d1 p2 d2 lb lbd < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(6)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()')
inst1=127.0.0.1:$p1 inst2=127.0.0.1:$p2

echo "== build and start two instances and nginx"
go build -o "$tmp/c3dmock" .
start_instance() { # start_instance N PUBLIC DATA
  "$tmp/c3dmock" serve --quiet --seed 1 --now 2026-11-01T12:00:00Z \
    --addr "127.0.0.1:$2" --data-addr "127.0.0.1:$3" >"$tmp/c3dmock$1.out" 2>"$tmp/c3dmock$1.err" &
  pids+=($!)
  eval "pid$1=$!"
}
start_instance 1 "$p1" "$d1"
start_instance 2 "$p2" "$d2"
mkdir -p "$tmp"/{body,proxy,fastcgi,uwsgi,scgi}
sed -e "s|@TMP@|$tmp|g" -e "s|@PUBLIC_PORT@|$lb|" -e "s|@DATA_PORT@|$lbd|" \
  -e "s|@SERVERS@|server $inst1 max_fails=1 fail_timeout=30s; server $inst2 max_fails=1 fail_timeout=30s;|" \
  deploy/nginx.conf.template >"$tmp/nginx.conf"
nginx -t -q -p "$tmp" -c "$tmp/nginx.conf"
echo "ok   nginx -t: the generated configuration is valid"
nginx -p "$tmp" -c "$tmp/nginx.conf" -g 'daemon off;' 2>"$tmp/nginx.err" & # its log: printed on failure
pids+=($!)

for addr in "$inst1" "$inst2" "127.0.0.1:$d1" "127.0.0.1:$d2" "127.0.0.1:$lb" "127.0.0.1:$lbd"; do
  for i in $(seq 200); do
    curl -fs -o /dev/null "http://$addr/__c3dmock/healthz" && break
    [ "$i" = 200 ] && { echo "FAIL $addr never answered /__c3dmock/healthz" >&2; cat "$tmp"/*.err >&2; exit 1; }
    sleep 0.05
  done
done
echo "instances: $inst1 (Data Collector :$d1), $inst2 (Data Collector :$d2); balancer: public :$lb, Data Collector :$lbd"

lb=127.0.0.1:$lb lbd=127.0.0.1:$lbd
fail=0
check() { # check WHAT GOT WANT
  if [ "$2" = "$3" ]; then echo "ok   $1: $2"; else echo "FAIL $1: got '$2', want '$3'"; fail=1; fi
}
# req ADDR PATH [curl args...]: the body on stdout, the headers in $tmp/h
req() { curl -s -D "$tmp/h" "http://$1$2" "${@:3}"; }
# status ADDR PATH [curl args...]: the HTTP status
status() { curl -s -o /dev/null -D "$tmp/h" -w '%{http_code}' "http://$1$2" "${@:3}"; }
json() { python3 -c 'import json,sys
try: print(json.loads(sys.stdin.read())[sys.argv[1]])
except Exception as e: print("<no %s: %s>" % (sys.argv[1], e))' "$1"; }
# upstream: the instance that answered the last request (nginx lists the ones
# it tried, the one that answered last)
upstream() { tr -d '\r' <"$tmp/h" | awk 'tolower($1)=="x-c3dmock-upstream:" {print $NF}'; }
project() { req "$1" /v0/projects/4460 "${@:2}" | json name; } # project ADDR [curl args...]
devuser() { req "$lbd" /v0/user "$@" | json projectName; }        # the Data Collector's view of 4460's name
RO='Authorization: orgkey-demo-readonly'
DEV='Authorization: APIKEY:DEVELOPER demo-developer-key'
original=$(project "$lb" -H "$RO")
check "project 4460 through the balancer" "$original" "Demo Training"

echo "== (a) write in sandbox job42 through the balancer (key suffix), read it back"
got=$(req "$lb" /v0/projects/4460 -X PUT -H 'Authorization: orgkey-demo-readwrite@job42' \
  -H 'Content-Type: application/json' -d '{"name":"Renamed in job42"}' | json name)
check "PUT /v0/projects/4460 in job42" "$got" "Renamed in job42"
home=$(upstream)
other=$inst1; [ "$home" = "$inst1" ] && other=$inst2
echo "job42 lives on $home"
for i in 1 2 3; do
  check "job42 by header, read $i" "$(project "$lb" -H 'C3dmock-Sandbox: job42' -H "$RO")" "Renamed in job42"
  check "job42 by header, read $i, instance" "$(upstream)" "$home"
  check "job42 by key suffix, read $i" "$(project "$lb" -H "$RO@job42")" "Renamed in job42"
  check "job42 by key suffix, read $i, instance" "$(upstream)" "$home"
done
cookie=$(curl -fs -c - -o /dev/null -H 'C3dmock-Sandbox: job42' -H 'Content-Type: application/json' \
  -d '{"email":"admin@demo.example","password":"demo-password"}' "http://$lb/v0/sessions" |
  awk '$6=="c3d_session_v5" {print $7}')
check "the login cookie names its sandbox" "${cookie##*@}" "job42"
check "job42 by its login cookie" "$(project "$lb" -H "Cookie: c3d_session_v5=$cookie")" "Renamed in job42"
check "job42 by its login cookie, instance" "$(upstream)" "$home"

echo "== (a) the same sandbox on the Data Collector host"
check "the Data Collector in job42 (key suffix) sees the rename" "$(devuser -H "$DEV@job42")" "Renamed in job42"
check "the Data Collector in job42, instance" "$(upstream)" "$home"
check "the Data Collector in job42 (header) sees the rename" "$(devuser -H 'C3dmock-Sandbox: job42' -H "$DEV")" "Renamed in job42"
S=2c2f0603-8f5c-4ff6-94ed-03542a4df34d
code=$(status "$lbd" "/v0/gaze/$S?version=2" -H 'Authorization: APIKEY:DATA demo-app-key@job42' -H 'Content-Type: application/json' \
  -d '{"userid":"dev1","timestamp":1780000000,"sessionid":"1780000000_dev1","part":1,"interval":0.1,
       "properties":{"c3d.participant.id":"p1"},"data":[{"time":1780000000.1,"p":[0,1.6,0],"r":[0,0,0,1]}]}')
check "SDK gaze batch in job42 through the balancer" "$code" "200"
check "SDK gaze batch in job42, instance" "$(upstream)" "$home"
meta=/v0/versions/7012/sessions/1780000000_dev1/metadata
check "the uploaded session in the public API in job42" "$(status "$lb" $meta -H "$RO@job42")" "200"

echo "== (b) other sandboxes are isolated"
check "sandbox job43: project name" "$(project "$lb" -H 'C3dmock-Sandbox: job43' -H "$RO")" "$original"
check "sandbox job43: the uploaded session" "$(status "$lb" $meta -H "$RO@job43")" "404"
check "sandbox job43 on the Data Collector" "$(devuser -H "$DEV@job43")" "$original"
check "default sandbox: project name" "$(project "$lb" -H "$RO")" "$original"
check "default sandbox: the uploaded session" "$(status "$lb" $meta -H "$RO")" "404"
check "default sandbox on the Data Collector" "$(devuser -H "$DEV")" "$original"
check "job42 on the other instance, read directly" "$(project "$other" -H "$RO@job42")" "$original"

echo "== (c) every sandbox sticks to one instance, whichever selector and host"
declare -A seen
for i in $(seq 0 15); do
  project "$lb" -H "C3dmock-Sandbox: box$i" -H "$RO" >/dev/null; a=$(upstream)
  project "$lb" -H "$RO@box$i" >/dev/null; b=$(upstream)
  devuser -H "$DEV@box$i" >/dev/null; c=$(upstream)
  check "box$i: header, key suffix, Data Collector" "$b $c" "$a $a"
  seen[$a]=1
  [ "$a" = "$other" ] && moved=box$i
done
check "instances used by 16 sandboxes" "${#seen[@]}" "2"
declare -A dflt
for i in 1 2 3 4 5 6; do
  project "$lb" -H "$RO" >/dev/null; dflt[$(upstream)]=1
  devuser -H "$DEV" >/dev/null; dflt[$(upstream)]=1
done
project "$lb" -H 'C3dmock-Sandbox: default' -H "$RO" >/dev/null; dflt[$(upstream)]=1
check "instances the default sandbox used in 13 requests (no selector, and C3dmock-Sandbox: default)" "${#dflt[@]}" "1"

echo "== bodies up to c3dmock's 10 MiB pass the balancer, larger ones are refused"
python3 - "$tmp" <<'EOF'
import json, sys
def batch(n, part):
    data = [{"time": 1780000100 + i / 1000, "p": [0, 1.6, 0], "r": [0, 0, 0, 1]} for i in range(n)]
    return json.dumps({"userid": "dev2", "timestamp": 1780000100, "sessionid": "1780000100_dev2", "part": part,
                       "interval": 0.001, "properties": {}, "data": data}).encode()
n = int((9 << 20) * 0.97 / (len(batch(10000, 1)) / 10000))
open(sys.argv[1] + "/big.json", "wb").write(batch(n, 1))           # just under 9 MiB
open(sys.argv[1] + "/toobig.json", "wb").write(batch(n * 5 // 4, 2)) # over 10 MiB
EOF
echo "bodies: $(stat -c %s "$tmp/big.json") and $(stat -c %s "$tmp/toobig.json") bytes"
check "a 9 MiB gaze batch in job42" "$(status "$lbd" "/v0/gaze/$S?version=2" -H 'Authorization: APIKEY:DATA demo-app-key@job42' \
  -H 'Content-Type: application/json' --data-binary "@$tmp/big.json")" "200"
check "the 9 MiB batch's session in the public API in job42" \
  "$(status "$lb" /v0/versions/7012/sessions/1780000100_dev2/metadata -H "$RO@job42")" "200"
check "a body over 10 MiB" "$(status "$lbd" "/v0/gaze/$S?version=2" -H 'Authorization: APIKEY:DATA demo-app-key@job42' \
  -H 'Content-Type: application/json' --data-binary "@$tmp/toobig.json")" "413"

echo "== stop the instance job42 is not on: job42 stays where it is"
kill "$( [ "$other" = "$inst1" ] && echo "$pid1" || echo "$pid2")"
wait "$( [ "$other" = "$inst1" ] && echo "$pid1" || echo "$pid2")" 2>/dev/null || true
for i in 1 2 3; do
  check "job42 after the stop, read $i" "$(project "$lb" -H "$RO@job42")" "Renamed in job42"
  check "job42 after the stop, read $i, instance" "$(upstream)" "$home"
done
if [ -n "${moved:-}" ]; then
  # A sandbox of the stopped instance moves to the survivor as a fresh sandbox:
  # sandboxes live in one process (keep what matters with snapshots).
  check "$moved (was on the stopped instance) now answered by" "$(project "$lb" -H "$RO@$moved" >/dev/null; upstream)" "$home"
fi

if [ "$fail" = 0 ]; then echo "scale-out recipe passed"; exit 0; fi
echo "== nginx's log (a refused 11 MiB body and the stopped instance are expected)"; cat "$tmp/nginx.err"
echo "scale-out recipe FAILED"; exit 1
