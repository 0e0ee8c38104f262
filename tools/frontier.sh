#!/usr/bin/env bash
# Regenerates the committed frontier (README "Is it really 10x?"): one sweep per model over cluster
# size x Service size, each over the range where its limit lies, then the frontier of both.
# Usage: tools/frontier.sh [OUT_DIR] (default results/sweeps); JOBS=K sets the worker threads.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/sweeps}
nodes=1000,2000,3000,5000
# Endpoints (1.18): the whole object to every node; it leaves the limits within a few thousand endpoints.
endpoints=250,500,750,1000,1500,2000,3000,5000
# EndpointSlices: up to 200,000 endpoints (the scenario gives nodes room for 256 pods each).
slices=1000,2000,5000,10000,15000,20000,30000,50000,100000,200000
jobs=(); [ -n "${JOBS:-}" ] && jobs=(--jobs "$JOBS")
slicesim() { node dist/cli/main.js "$@"; }
slicesim sweep scenarios/frontier-endpoints-1-18.yaml --grid cluster.nodes=$nodes --grid services.0.replicas=$endpoints --out "$out/frontier-endpoints-1-18" --quiet "${jobs[@]}"
slicesim sweep scenarios/frontier-endpointslices.yaml --grid cluster.nodes=$nodes --grid services.0.replicas=$slices --out "$out/frontier-endpointslices" --quiet "${jobs[@]}"
slicesim frontier "$out/frontier-endpoints-1-18" "$out/frontier-endpointslices" --out "$out/frontier"
