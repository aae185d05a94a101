#!/usr/bin/env python3
"""../shared/tools/bench_vectorize.py for several binaries at once: each round times scikit-learn's fit_transform
before each binary's `hanmi vectorize`, as that tool does, so every binary starts on a machine in the state
scikit-learn leaves it in.

usage: benches/bench_ab.py CSV TEXTCOL ROUNDS BINARY...   (needs: pip install scikit-learn)

Prints scikit-learn's median, then each binary's median stage (analyze + vectorize) and whole process in
milliseconds, and its ratio_stage as the tool computes it. Keep the binaries outside target/."""
import csv, json, os, statistics, subprocess, sys, tempfile, time

from sklearn.feature_extraction.text import TfidfVectorizer

csv.field_size_limit(10**9)
path, col, rounds, binaries = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
docs = [r[col] for r in csv.DictReader(open(path, encoding="utf-8"))]
sk, stage, process = [], {b: [] for b in binaries}, {b: [] for b in binaries}
out = tempfile.mkdtemp()
for _ in range(rounds):
    for b in binaries:
        t = time.perf_counter()
        TfidfVectorizer(sublinear_tf=True).fit_transform(docs)
        sk.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([b, "vectorize", "--input", path, "--text-col", col, "--out", out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        process[b].append(time.perf_counter() - t)
        ts = json.load(open(os.path.join(out, "manifest.json")))["timings_s"]
        stage[b].append(ts["analyze"] + ts["vectorize"])
s = statistics.median(sk)
print(f"scikit-learn {s * 1000:.1f}")
for b in binaries:
    h, p = statistics.median(stage[b]), statistics.median(process[b])
    print(f"{b} stage={h * 1000:.1f} process={p * 1000:.1f} ratio_stage={s / h:.1f}")
