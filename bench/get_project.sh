#!/usr/bin/env bash
# In-process benchmark of an authenticated, validated GET /v0/projects/4460
# through the whole pipeline (route, auth, validation, scope, handler, JSON).
# Usage: bench/get_project.sh [COUNT]   (benchstat-friendly: -count runs)
set -euo pipefail
cd "$(dirname "$0")/.."
go test -run '^$' -bench 'BenchmarkGetProject$' -benchtime 3s -count "${1:-5}" ./mock/
