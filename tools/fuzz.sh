#!/bin/sh
# fuzz.sh BUILD SECONDS [TARGET...]: runs each libFuzzer target of BUILD/fuzz/ for SECONDS,
# starting from (and first replaying) its seed corpus tests/fuzz/corpus/<target>/ and what
# earlier runs found (BUILD/fuzz/work/<target>/). A crash stops with the input saved under
# BUILD/fuzz/crashes/<target>/: add it to the corpus as a regression test once fixed.
set -u
build=$1
seconds=$2
shift 2
targets=${*:-$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')}
status=0
for t in $targets; do
        bin=$build/fuzz/$t
        work=$build/fuzz/work/$t
        crashes=$build/fuzz/crashes/$t
        mkdir -p "$work" "$crashes"
        start=$(date +%s)
        if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
                "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
                -artifact_prefix="$crashes/" "$work" "tests/fuzz/corpus/$t" \
                >"$build/fuzz/$t.log" 2>&1; then
                runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$build/fuzz/$t.log" | tail -1)
                echo "fuzz: $t ok, ${runs:-?} runs in $(($(date +%s) - start)) s"
        else
                echo "fuzz: $t FAILED (log $build/fuzz/$t.log, input in $crashes/):"
                grep -E 'ERROR|invariant|SUMMARY|Test unit written' "$build/fuzz/$t.log" | head -5
                status=1
        fi
done
exit $status
