#!/usr/bin/env bash
# Checks that two hanmi binaries write the same vocab.csv, tfidf.mtx and documents.csv on every corpus in
# ../shared/data, with the options given after them (default options if none).
# usage: benches/same_output.sh BEFORE AFTER [VECTORIZE OPTIONS...]
set -u
before=$1 after=$2
shift 2
dir=$(mktemp -d)
status=0
for f in ../shared/data/*/*.csv; do
  for b in before after; do
    "${!b}" vectorize --input "$f" --out "$dir/$b" "$@" >/dev/null 2>&1 || { echo "FAILED: $b on $f"; status=1; }
  done
  for x in documents.csv vocab.csv tfidf.mtx; do
    cmp -s "$dir/before/$x" "$dir/after/$x" || { echo "DIFFERENT: $x of $f"; status=1; }
  done
done
rm -rf "$dir"
[ $status = 0 ] && echo "same output on every corpus"
exit $status
