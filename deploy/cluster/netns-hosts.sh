#!/usr/bin/env bash
# Simulated hosts for multi-host tests: Linux network namespaces joined by a bridge of their own
# (attached to no real interface, so no traffic leaves them). Root only.
#
#   netns-hosts.sh up   TAG N   create hosts TAG-h1..TAG-hN at 10.231.S.1..N (S from TAG; this namespace at
#                               10.231.S.254 on the bridge), print "NAME ADDRESS" per host
#   netns-hosts.sh down TAG N   remove them and the bridge (whatever exists of them)
#   netns-hosts.sh cut  TAG K   take host K's link down (the host is cut off)
#   netns-hosts.sh join TAG K   bring it back up
#   netns-hosts.sh split TAG K,L,...  move hosts K, L, ... onto a second bridge of their own: a partition
#                               (each side still reaches its own hosts, no host reaches the other side)
#   netns-hosts.sh heal  TAG K,L,...  move them back onto the first bridge
#
# TAG: up to 8 letters and digits (interface names are at most 15 characters).
set -euo pipefail
action=${1:?usage: netns-hosts.sh up|down|cut|join TAG N|K, or split|heal TAG K,L,...}
tag=${2:?missing TAG}
count=${3:?missing N, K or K,L,...}
[[ $tag =~ ^[a-z0-9]{1,8}$ ]] || { echo "netns-hosts.sh: TAG must be 1-8 lower-case letters or digits, got '$tag'" >&2; exit 2; }
IFS=, read -r -a numbers <<< "$count"
[[ $action == split || $action == heal ]] || [ "${#numbers[@]}" -eq 1 ] \
  || { echo "netns-hosts.sh: $action takes one number, got '$count'" >&2; exit 2; }
for n in "${numbers[@]}"; do
  [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 200 ] || { echo "netns-hosts.sh: numbers must be in [1, 200], got '$count'" >&2; exit 2; }
done
subnet=$(( $(printf '%s' "$tag" | cksum | cut -d ' ' -f 1) % 200 + 20 ))
bridge="$tag-br"
# The other side of a split: a bridge with no address, so the root namespace reaches only the first side.
other="$tag-b2"

case "$action" in
  up)
    ip link add "$bridge" type bridge
    # .254 on the bridge: this (the root) namespace reaches the hosts too, as a launcher over ssh must.
    ip addr add "10.231.$subnet.254/24" dev "$bridge"
    ip link set "$bridge" up
    for k in $(seq 1 "$count"); do
      ns="$tag-h$k"
      ip netns add "$ns"
      ip link add "$tag-v$k" type veth peer name "$tag-p$k"
      ip link set "$tag-p$k" netns "$ns"
      ip link set "$tag-v$k" master "$bridge" up
      ip -n "$ns" link set lo up
      ip -n "$ns" link set "$tag-p$k" name eth0
      ip -n "$ns" addr add "10.231.$subnet.$k/24" dev eth0
      ip -n "$ns" link set eth0 up
      echo "$ns 10.231.$subnet.$k"
    done
    ;;
  down)
    for k in $(seq 1 "$count"); do
      ip netns del "$tag-h$k" 2>/dev/null || true
      ip link del "$tag-v$k" 2>/dev/null || true
    done
    ip link del "$other" 2>/dev/null || true
    ip link del "$bridge" 2>/dev/null || true
    ;;
  cut) ip link set "$tag-v$count" down ;;
  join) ip link set "$tag-v$count" up ;;
  split)
    ip link show "$other" >/dev/null 2>&1 || ip link add "$other" type bridge
    ip link set "$other" up
    for k in "${numbers[@]}"; do ip link set "$tag-v$k" master "$other"; done
    ;;
  heal)
    for k in "${numbers[@]}"; do ip link set "$tag-v$k" master "$bridge"; done
    ip link del "$other" 2>/dev/null || true
    ;;
  *) echo "netns-hosts.sh: unknown action '$action' (up, down, cut, join, split, heal)" >&2; exit 2 ;;
esac
