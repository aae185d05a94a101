#!/usr/bin/env python3
"""../shared/tools/bench_vectorize.py for several binaries at once: each round times scikit-learn's fit_transform
before each binary's `hanmi vectorize`, as that tool does, so every binary starts on a machine in the state
scikit-learn leaves it in.

usage: benches/bench_ab.py [--ngram-range LO,HI] CSV TEXTCOL ROUNDS BINARY...   (needs: pip install scikit-learn)

With --ngram-range, both sides make word n-grams: scikit-learn's ngram_range=(LO, HI), hanmi's --ngram-range LO,HI.

Prints scikit-learn's median, then each binary's median stage (analyze + vectorize) and whole process in
milliseconds, and its ratio_stage as the tool computes it. Keep the binaries outside target/."""
import csv, json, os, statistics, subprocess, sys, tempfile, time

from sklearn.feature_extraction.text import TfidfVectorizer

csv.field_size_limit(10**9)
args, ngrams = sys.argv[1:], (1, 1)
if args[0] == "--ngram-range":
    ngrams, args = tuple(int(n) for n in args[1].split(",")), args[2:]
path, col, rounds, binaries = args[0], args[1], int(args[2]), args[3:]
hanmi_options = ["--ngram-range", f"{ngrams[0]},{ngrams[1]}"] if ngrams != (1, 1) else []
docs = [r[col] for r in csv.DictReader(open(path, encoding="utf-8"))]
sk, stage, process = [], {b: [] for b in binaries}, {b: [] for b in binaries}
out = tempfile.mkdtemp()
for _ in range(rounds):
    for b in binaries:
        t = time.perf_counter()
        TfidfVectorizer(sublinear_tf=True, ngram_range=ngrams).fit_transform(docs)
        sk.append(time.perf_counter() - t)
        t = time.perf_counter()
        subprocess.run([b, "vectorize", "--input", path, "--text-col", col, "--out", out] + hanmi_options, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        process[b].append(time.perf_counter() - t)
        ts = json.load(open(os.path.join(out, "manifest.json")))["timings_s"]
        stage[b].append(ts["analyze"] + ts["vectorize"])
s = statistics.median(sk)
print(f"scikit-learn {s * 1000:.1f}")
for b in binaries:
    h, p = statistics.median(stage[b]), statistics.median(process[b])
    print(f"{b} stage={h * 1000:.1f} process={p * 1000:.1f} ratio_stage={s / h:.1f}")
