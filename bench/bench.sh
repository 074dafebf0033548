#!/bin/sh
# bench.sh: `make bench`: the national data set (made once, cached), then bench/run.mjs.
#
#   sh bench/bench.sh BUILD_DIR        (BUILD_DIR holds murafiq and mhd_baseline, -O2)
#
# The data set is build/bench-data/national.db (murafiq init + demo --scale national --seed 1,
# about a minute). It is made again when the binary's schema version differs from the one it
# was made with (build/bench-data/national.version). The benchmark itself works on a copy, so
# the sessions and tokens it creates never reach the cache.
#
# Environment: BENCH_QUICK=1 (short runs, to try the harness), BENCH_THREADS (serve --threads,
# default: serve's own default), BENCH_DATA (cache directory), BENCH_OUT (markdown table,
# default bench/results/latest.md).
set -eu
build=${1:?usage: bench.sh BUILD_DIR}
bin=$build/murafiq
data=${BENCH_DATA:-build/bench-data}
for tool in wrk nginx sqlite3 node; do
        command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is missing (make deps)" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "bench: $bin is missing" >&2; exit 1; }
[ -x "$build/mhd_baseline" ] || { echo "bench: $build/mhd_baseline is missing" >&2; exit 1; }

mkdir -p "$data"
probe=$(mktemp -d "${TMPDIR:-/tmp}/murafiq-bench-probe.XXXXXX")
trap 'rm -rf "$probe"' EXIT
version=$("$bin" init --db "$probe/probe.db" | sed -n 's/.*(schema version \([0-9]*\)).*/\1/p')
[ -n "$version" ] || { echo "bench: cannot read the schema version of $bin" >&2; exit 1; }
cached=$(cat "$data/national.version" 2>/dev/null || echo none)
if [ ! -f "$data/national.db" ] || [ "$cached" != "$version" ]; then
        echo "bench: making the national data set (schema version $version, was $cached)" >&2
        rm -f "$data"/national.db "$data"/national.db.* "$data/national.version"
        start=$(date +%s)
        "$bin" init --db "$data/national.db.new" >/dev/null
        "$bin" demo --db "$data/national.db.new" --scale national --seed 1 >/dev/null
        # The demo closed the database: its WAL is checkpointed into the file.
        mv "$data/national.db.new" "$data/national.db"
        # The key of its sealed fields follows it (murafiq init made DB.key).
        if [ -f "$data/national.db.new.key" ]; then
                mv "$data/national.db.new.key" "$data/national.db.key"
        fi
        echo "$version" >"$data/national.version"
        echo "bench: national data set made in $(($(date +%s) - start)) s" >&2
fi
exec node bench/run.mjs --bin "$bin" --mhd "$build/mhd_baseline" --data "$data/national.db" \
        --schema "$version"
