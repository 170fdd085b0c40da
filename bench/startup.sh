#!/usr/bin/env bash
# Start-up to the first healthy answer: exec "c3dmock serve", poll
# /__c3dmock/healthz until it answers 200, stop the server; median of RUNS.
# Usage: bench/startup.sh [SESSIONS] [RUNS] [BINARY]
# With SESSIONS above 20000 it also prints the server's VmRSS once healthy.
set -euo pipefail
sessions=${1:-500}
runs=${2:-5}
bin=${3:-}
cd "$(dirname "$0")/.."
if [[ -z "$bin" ]]; then
	bin=$(mktemp -d)/c3dmock
	go build -o "$bin" .
fi
port=$((20000 + RANDOM % 20000))
times=()
for _ in $(seq "$runs"); do
	start=$(date +%s%N)
	"$bin" serve --quiet --addr "127.0.0.1:$port" --data-addr off --sessions "$sessions" --seed 1 &
	pid=$!
	until curl -fs -o /dev/null "http://127.0.0.1:$port/__c3dmock/healthz"; do sleep 0.002; done
	end=$(date +%s%N)
	times+=($(((end - start) / 1000000)))
	if ((sessions > 20000)); then
		grep VmRSS "/proc/$pid/status"
	fi
	kill "$pid"
	wait "$pid" 2>/dev/null || true
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "start-up ms: ${times[*]} (median ${sorted[$((runs / 2))]})"
