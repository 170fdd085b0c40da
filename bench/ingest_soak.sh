#!/usr/bin/env bash
# Memory under SDK gaze ingest (issue 11, item 5).
#
# Starts c3dmock (default world, Data Collector on), then sends SDK-shaped
# gaze batches (256 snapshots, ≈ 30 KB each, session properties on a
# session's first batch, a new session every 60 batches) from 16 devices at
# RATE batches per second for DURATION, printing the server's VmRSS and VmHWM
# every 15 s with the batches answered 200 and 507 (budget spent).
#
# Usage: bench/ingest_soak.sh [DURATION] [RATE] [-- extra serve flags]
#   bench/ingest_soak.sh                      # 5m at 40 batches/s, --store-budget 512MiB
#   bench/ingest_soak.sh 2m 60 -- --store-budget 128MiB
# The server and the driver are built first, so the PID measured is the
# server's, not the go tool's.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-5m}
RATE=${2:-40}
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
ADDR=127.0.0.1:${BENCH_PORT:-18765}
DATA=127.0.0.1:$(( ${BENCH_PORT:-18765} + 1 ))
DIR=$(mktemp -d)

go build -o "$DIR/c3dmock" .
go build -o "$DIR/ingest_soak" ./bench/ingest_soak
"$DIR/c3dmock" serve --addr "$ADDR" --data-addr "$DATA" --quiet "$@" &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT

until curl -sf "http://$ADDR/__c3dmock/healthz" >/dev/null; do
	kill -0 $PID 2>/dev/null || { echo "server exited" >&2; exit 1; }
	sleep 0.2
done
echo "c3dmock serve $* (pid $PID); $DURATION of gaze ingest at $RATE batches/s"
"$DIR/ingest_soak" -data "http://$DATA" -duration "$DURATION" -rate "$RATE" -pid "$PID"
