"""Summarises `node --cpu-prof` profiles: each thread's samples by script and by function.

    node --cpu-prof --cpu-prof-dir=DIR dist/src/cli.js ingest --corpus SOTU --index NEW
    python3 scripts/bench/profile-summary.py DIR/*.cpuprofile

Node writes one profile per thread (the main thread, then each worker). Shares are of that
thread's samples by self time; "(idle)" is time the thread waited. Standard library only.
"""
import collections
import json
import sys


def summarise(path: str, top_scripts: int = 15, top_functions: int = 20) -> None:
    with open(path, encoding="utf-8") as handle:
        profile = json.load(handle)
    nodes = {node["id"]: node for node in profile["nodes"]}
    counts = collections.Counter(profile["samples"])
    total = len(profile["samples"]) or 1
    by_function: collections.Counter = collections.Counter()
    by_script: collections.Counter = collections.Counter()
    for node_id, count in counts.items():
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"] or "(anon)"
        script = frame["url"].split("/")[-1]
        by_function[f"{name} {script}:{frame['lineNumber']}"] += count
        by_script[script or frame["functionName"]] += count
    span = (profile["endTime"] - profile["startTime"]) / 1e6
    print(f"== {path} samples {total} span s {span:.1f}")
    for script, count in by_script.most_common(top_scripts):
        print(f"  {100 * count / total:5.1f}%  {script}")
    print("  -- functions")
    for function, count in by_function.most_common(top_functions):
        print(f"  {100 * count / total:5.1f}%  {function}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    for argument in sys.argv[1:]:
        summarise(argument)
