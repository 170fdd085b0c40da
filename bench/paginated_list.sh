#!/usr/bin/env bash
# Benchmark of the clients' default session query against a large world.
#
# Starts c3dmock with --sessions N (default 100000), waits for it, sends the
# query the official clients send by default (30-day range, test and junk
# excluded, limit 100) REQUESTS times with curl over one keep-alive
# connection at a time, and prints p50/p95/max latency and the server's RSS
# (VmRSS and VmHWM from /proc/<pid>/status).
#
# Targets (issue 3): p50 <= 20 ms, RSS <= 300 MB.
#
# Usage: bench/paginated_list.sh [SESSIONS] [REQUESTS]
# The server is built first (the same code `go run . serve` runs) so that the
# PID measured is the server's, not the go tool's.
set -euo pipefail
cd "$(dirname "$0")/.."

SESSIONS=${1:-100000}
REQUESTS=${2:-200}
ADDR=127.0.0.1:${BENCH_PORT:-18765}
KEY=orgkey-demo-readwrite
BIN=$(mktemp -d)/c3dmock

go build -o "$BIN" .
"$BIN" serve --addr "$ADDR" --data-addr off --sessions "$SESSIONS" --quiet &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$(dirname "$BIN")"' EXIT

t0=$(date +%s.%N)
until curl -sf "http://$ADDR/__c3dmock/healthz" >/dev/null; do
	kill -0 $PID 2>/dev/null || { echo "server exited" >&2; exit 1; }
	sleep 0.2
done
t1=$(date +%s.%N)
printf 'startup with %d sessions: %.1f s\n' "$SESSIONS" "$(echo "$t1 - $t0" | bc)"
grep VmRSS "/proc/$PID/status" | sed 's/^/after start-up: /'

now_ms=$(( $(date +%s) * 1000 ))
from_ms=$(( now_ms - 30 * 86400 * 1000 ))
BODY=$(cat <<JSON
{"page":0,"limit":100,"sort":"desc","orderBy":{"fieldName":"date","fieldParent":"session"},
 "entityFilters":{"projectId":4460},
 "sessionFilters":[
  {"field":{"fieldName":"date","fieldParent":"session"},"op":"gte","value":$from_ms},
  {"field":{"fieldName":"date","fieldParent":"session"},"op":"lte","value":$now_ms},
  {"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.test"},"value":false},
  {"op":"eq","field":{"nestedFieldName":"booleanSessionProp","path":"c3d.session_tag.junk"},"value":false}],
 "eventFilters":[],"objectiveFilters":[],"userFilters":[],"sessionType":"project",
 "includeEvents":false,"includeAllObjectiveData":false}
JSON
)
query() {
	curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST \
		-H "Authorization: $KEY" -H 'Content-Type: application/json' \
		--data "$BODY" "http://$ADDR/v0/datasets/sessions/paginatedListQueries"
}
read -r code _ < <(query)
[ "$code" = 200 ] || { echo "query failed: HTTP $code" >&2; exit 1; }
count=$(curl -s -X POST -H "Authorization: $KEY" -H 'Content-Type: application/json' --data "$BODY" \
	"http://$ADDR/v0/datasets/sessions/paginatedListQueries" | grep -o '"count":[0-9]*' | head -1)
echo "matching sessions: ${count#*:}"

for _ in 1 2 3 4 5; do query >/dev/null; done # warm up
for _ in $(seq "$REQUESTS"); do query; done | awk '{print $2 * 1000}' | sort -n >"$(dirname "$BIN")/lat"
awk -v n="$REQUESTS" '
	{ v[NR] = $1 }
	END {
		p50 = v[int(n * 0.50 + 0.5)]; p95 = v[int(n * 0.95 + 0.5)]
		printf "requests: %d  p50: %.1f ms  p95: %.1f ms  max: %.1f ms\n", n, p50, p95, v[n]
	}' "$(dirname "$BIN")/lat"
grep -E 'VmRSS|VmHWM' "/proc/$PID/status" | sed 's/^/after the queries: /'
