#!/usr/bin/env python3
"""Compares `hanmi vectorize` binaries in one run, alternating, so that the machine's drift hits them alike.

usage: benches/ab_stages.py CSV ROUNDS BINARY... [-- VECTORIZE OPTIONS...]   (the text column must be named `text`)

Each round runs every binary once on CSV into a fresh folder and reads the stage times from its manifest.json
(`read`, `analyze`, `vectorize`, `write`; `stage` = analyze + vectorize, what ../shared/tools/bench_vectorize.py
compares with scikit-learn) and the whole process's wall time. Prints each binary's medians in milliseconds.
Keep the binaries outside target/ (cp target/release/hanmi /tmp/hanmi.before) so a rebuild does not replace one."""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

path, rounds, rest = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
binaries, options = (rest[: rest.index("--")], rest[rest.index("--") + 1 :]) if "--" in rest else (rest, [])
times = {b: {} for b in binaries}
for _ in range(rounds):
    for b in binaries:
        out = tempfile.mkdtemp()
        start = time.perf_counter()
        subprocess.run([b, "vectorize", "--input", path, "--text-col", "text", "--out", out] + options, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        process = time.perf_counter() - start
        stages = json.load(open(os.path.join(out, "manifest.json")))["timings_s"]
        stages["stage"] = stages["analyze"] + stages["vectorize"]
        stages["process"] = process
        for k, v in stages.items():
            times[b].setdefault(k, []).append(v)
        shutil.rmtree(out)
for b in binaries:
    print(b, " ".join(f"{k}={statistics.median(v) * 1000:.1f}" for k, v in times[b].items()))
