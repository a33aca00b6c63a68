#!/bin/sh
# bench-import.sh: time `balise-cli import` against spatialite_osm_raw and osmium cat
#
# Copyright 2026 The Balise Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-import.sh BALISE_CLI [EXTRACT]
# The extract is $BALISE_BENCH_FILE, else EXTRACT. Each tool runs
# $BALISE_BENCH_RUNS times (default 3) and the best wall-clock time counts.
# Exits 77 (skipped) when the extract or a tool is missing.

set -u

cli=$1
file=${BALISE_BENCH_FILE:-${2:-}}
runs=${BALISE_BENCH_RUNS:-3}

if [ -z "$file" ] || [ ! -r "$file" ]; then
  echo "bench-import: no extract to import (set BALISE_BENCH_FILE): ${file:-none}"
  exit 77
fi
for tool in spatialite_osm_raw osmium; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench-import: $tool is not installed; skipping"
    exit 77
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/bench-import-XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

now () {
  date +%s.%N
}

# best CMD…: runs the command $runs times after cleaning its output, prints the best time
best () {
  best_time=
  i=0
  while [ $i -lt "$runs" ]; do
    rm -f "$work"/out.*
    start=$(now)
    if ! "$@" >"$work/log" 2>&1; then
      echo "bench-import: failed: $*" >&2
      cat "$work/log" >&2
      exit 1
    fi
    end=$(now)
    t=$(echo "$start $end" | awk '{ printf "%.3f", $2 - $1 }')
    if [ -z "$best_time" ] || awk "BEGIN { exit !($t < $best_time) }"; then
      best_time=$t
    fi
    i=$((i + 1))
  done
  echo "$best_time"
}

# spatialite_osm_raw wants a name ending in .osm.pbf
case "$file" in
  *.osm.pbf) input=$file ;;
  *) input="$work/input.osm.pbf"; ln -s "$(readlink -f "$file")" "$input" ;;
esac

echo "bench-import: $file, best of $runs"
t_balise=$(best "$cli" --db "$work/out.balise.db" import --quiet "$file") || exit 1
t_raw=$(best spatialite_osm_raw -o "$input" -d "$work/out.raw.sqlite") || exit 1
t_osmium=$(best osmium cat "$file" -o "$work/out.osmium.osm.pbf" -f pbf --overwrite) || exit 1

echo "$t_balise $t_raw $t_osmium" | awk '{
  printf "Balise %.2f s, spatialite_osm_raw %.2f s (%.1f× slower), osmium cat %.2f s\n",
         $1, $2, $2 / $1, $3
  printf "Target: spatialite_osm_raw ≥ 4× slower than Balise: %s\n", ($2 / $1 >= 4) ? "met" : "NOT met"
}'
