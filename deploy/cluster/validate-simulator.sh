#!/usr/bin/env bash
# The simulator against real multi-host runs: hosts as network namespaces (netns-hosts.sh), a
# relay in front of every node with LATENCY and BANDWIDTH (dptrain launch --link-latency
# --link-bandwidth), unencrypted (the simulator has no cost for TLS); the default job with 1, 2 and 4 worker hosts for STEPS
# steps each; then 'dptrain simulate --compare-runs' predicts each run's layout on the same
# network (every node on this machine's cores, the coordinator on a host of its own) and prints
# the measured and predicted steps side by side. Root only; removes its namespaces on exit.
#
#   deploy/cluster/validate-simulator.sh [LATENCY] [BANDWIDTH] [STEPS] [COSTS_FILE]
#   e.g. deploy/cluster/validate-simulator.sh 2ms 50MB/s 6000 runs/simulate-costs.conf
# (about 11 minutes on 2 cores: a new JVM's JIT needs a few thousand steps before steps are steady)
set -euo pipefail
latency=${1:-2ms}
bandwidth=${2:-50MB/s}
steps=${3:-6000}
costs=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dptrain="$root/deploy/bin/dptrain"
tag="dpv$(( $$ % 10000 ))"
out="$root/runs/validate-simulator-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
trap '"$here/netns-hosts.sh" down "$tag" 5 >/dev/null 2>&1 || true' EXIT
"$here/netns-hosts.sh" up "$tag" 5 > "$out/namespaces.txt"
mapfile -t hosts < "$out/namespaces.txt"
{
  echo "${hosts[0]% *} ${hosts[0]#* } coordinator,ps"
  for k in 1 2 3 4; do echo "${hosts[$k]% *} ${hosts[$k]#* } worker,ps"; done
} > "$out/hosts-all.txt"
runs=()
for workers in 1 2 4; do
  head -n $(( workers + 1 )) "$out/hosts-all.txt" > "$out/hosts-$workers.txt"
  echo "== $workers worker host(s), $latency latency, $bandwidth per node =="
  "$dptrain" launch --hosts "$out/hosts-$workers.txt" --insecure --prefix 'ip netns exec {name}' \
    --node-memory 700m --link-latency "$latency" --link-bandwidth "$bandwidth" --run-dir "$out/w$workers" \
    --steps "$steps" --eval-every 1000000 --checkpoint-epoch-end false | grep -E '^(launch|preflight|final)|WARNING' || true
  runs+=("$out/w$workers")
done
"$dptrain" simulate ${costs:+--costs "$costs"} --machine shared --separate-coordinator --relays --latency "$latency" \
  --bandwidth "$bandwidth" --out "$out" --compare-runs "$(IFS=,; echo "${runs[*]}")"
