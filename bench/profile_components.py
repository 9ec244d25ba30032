"""Sorting py-spy samples of the API and the worker into the platform's components.

Input: ``py-spy record --format raw --threads`` files (one line per distinct stack:
``thread (tid): name;frame;…;frame count``, frames ``function (file:line)``, root first).
Each sample gets:

- a **component**, the deepest frame matching a rule of :data:`COMPONENTS` (so the rate
  limiter's own SQL counts as the rate limiter, and the transaction boilerplate of
  ``platform_core/db.py`` — pool checkout, pre-ping, BEGIN, ``set_config``, COMMIT —
  counts on its own). Some rules dominate: any frame matching them decides (the sandbox
  importing modules for a new workflow). Stacks rooted in a greenlet are SQLAlchemy's
  sync side of ``AsyncSession.execute``: py-spy cannot see which coroutine started them,
  so they form one component of their own;
- a **layer**, the deepest frame matching :data:`LAYERS` (SQLAlchemy, asyncpg,
  OpenTelemetry, pydantic, socket syscalls, …) — the cross-cutting view.

Samples of threads waiting (executor queues, ``Condition.wait``, epoll) are idle: left out
of CPU profiles, reported by thread role in ``--idle`` profiles. Each thread's samples are
weighted so they add up to the CPU /proc says the thread used (py-spy's on-CPU guess is
rough), then divided by the runs of the window.

    .venv/bin/python bench/profile_components.py FILE.raw --runs N [--rate 100]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>.*?)(?::(?P<line>\d+))?\)$")
_THREAD = re.compile(r"^thread \((?P<tid>\d+)\)(?::\s*(?P<name>.*))?$")


@dataclass(frozen=True)
class Rule:
    """A label for frames whose file matches ``file`` (and function ``func``, if given)."""

    label: str
    file: str
    func: str | None = None
    dominant: bool = False

    def matches(self, func: str, file: str) -> bool:
        """Whether a frame belongs here."""
        return re.search(self.file, file) is not None and (
            self.func is None or re.search(self.func, func) is not None
        )


def _rules(*rows: tuple[Any, ...]) -> tuple[Rule, ...]:
    return tuple(Rule(*row) for row in rows)


GREENLET = "DB: SQLAlchemy sync side in greenlets (compile, ORM, events; caller not visible)"
# Order does not matter except between rules matching the same frame (first wins).
COMPONENTS = _rules(
    # Dominant: the whole subtree belongs here.
    (
        "Temporal: new workflow instance in the sandbox (re-imports modules)",
        r"temporalio/worker/",
        r"_create_workflow_instance|Importer\._import",
        True,
    ),
    # API
    ("API auth: JWT + caller lookup", r"platform_api/api/access_check\.py"),
    ("API auth: JWT + caller lookup", r"platform_api/api/deps\.py", r"get_caller|_authenticate"),
    ("API auth: JWT + caller lookup", r"platform_api/auth/tokens\.py"),
    ("API rate limiter", r"platform_api/ratelimit/"),
    ("API audit trail", r"platform_api/audit/"),
    ("API input policy", r"platform_api/api/input_policy\.py"),
    ("API request observability (metrics, access log)", r"platform_api/observability/"),
    ("API error containment", r"platform_api/errors\.py"),
    ("API chat turn rows (chats/service.py)", r"platform_api/chats/service\.py"),
    (
        "API execute rows (executions/direct.py, rows.py)",
        r"platform_api/executions/(direct|rows)\.py",
    ),
    (
        "API quota check + service bindings (prepare_run)",
        r"platform_api/providers/(usage|bindings)\.py",
    ),
    (
        "API quota check + service bindings (prepare_run)",
        r"platform_api/executions/launcher\.py",
        r"prepare_run",
    ),
    ("API launcher glue (executions/launcher.py)", r"platform_api/executions/launcher\.py"),
    ("API route handlers", r"platform_api/(chats|executions|openai_compat)/routes\.py"),
    ("API SSE streaming (platform_api/streaming/)", r"platform_api/streaming/"),
    (
        "run event log: append / read (platform_core/run_event_log.py)",
        r"platform_core/run_event_log\.py",
    ),
    (
        "API SSE streaming (platform_api/streaming/)",
        r"starlette/responses\.py",
        r"StreamingResponse",
    ),
    ("API standing monitor", r"platform_api/auth/standing"),
    ("API dependencies (deps.py)", r"platform_api/api/deps\.py"),
    ("HTTP server (uvicorn, httptools)", r"uvicorn/|httptools"),
    (
        "FastAPI/Starlette (routing, dependencies, validation, middleware stack)",
        r"fastapi/|starlette/",
    ),
    # Worker: the llm node activity and the records
    (
        "node.llm: record started (NodeRecorder.started)",
        r"activities/records\.py",
        r"NodeRecorder\.started",
    ),
    (
        "node.llm: record finished (NodeRecorder.finished)",
        r"activities/records\.py",
        r"NodeRecorder\.finished",
    ),
    (
        "finish_execution (local activity)",
        r"activities/records\.py",
        r"finish_execution|_node_totals|_close_what",
    ),
    ("records: other", r"activities/records\.py"),
    (
        "node.llm: llm targets resolve (config, key)",
        r"activities/llm_targets\.py|platform_core/crypto\.py",
    ),
    (
        "node.llm: token quota reserve",
        r"activities/token_quota\.py",
        r"reserve|_locked_quota|_release_abandoned|_release_where|_used_this_month",
    ),
    (
        "node.llm: token quota settle",
        r"activities/token_quota\.py",
        r"settle|release|_close|_charge|_add_monthly_usage",
    ),
    (
        "node.llm: prompt token count (litellm.token_counter)",
        r"activities/llm\.py",
        r"prompt_tokens",
    ),
    ("node.llm: cost (litellm cost map)", r"activities/llm\.py", r"_cost"),
    (
        "node.llm: litellm stream_chunk_builder",
        r"litellm/|streaming_chunk_builder",
        r"stream_chunk_builder",
    ),
    ("litellm: logging/cost callbacks", r"litellm_logging\.py|litellm/litellm_core_utils/logging"),
    ("node.llm: litellm call + stream (acompletion, chunks)", r"activities/llm\.py", r"_stream"),
    ("node.llm: heartbeats", r"activities/llm\.py", r"heartbeating|beat"),
    ("node.llm: glue (activities/llm.py)", r"activities/llm\.py"),
    ("run event flushes (activities/run_events.py)", r"activities/run_events\.py"),
    ("node metrics interceptor (activities/metrics.py)", r"activities/metrics\.py"),
    (
        "OTel: Temporal tracing interceptors",
        r"temporal_workflows/tracing\.py|temporalio/contrib/opentelemetry|activities/tracing\.py",
    ),
    (
        "Temporal: workflow code (AgentRun, pregel)",
        r"temporal_workflows/|node_types/|raw_llm_workflow\.py",
    ),
    ("hand-written activity (raw_llm_worker.py)", r"raw_llm_worker\.py", r"llm_call"),
    (
        "Temporal: workflow activation (SDK, sandbox)",
        r"temporalio/worker/(_workflow|workflow_sandbox)",
    ),
    ("Temporal: activity worker (SDK)", r"temporalio/worker/_activity\.py|temporalio/activity\.py"),
    ("Temporal: client (start_workflow, RPC)", r"temporalio/client|temporalio/service\.py"),
    ("Temporal: bridge calls (RPC, poll, complete)", r"temporalio/bridge/"),
    ("Temporal: payload conversion", r"temporalio/converter"),
    ("litellm: other", r"litellm/"),
    # Shared
    ("DB: transaction boilerplate (platform_core/db.py tenant_session)", r"platform_core/db\.py"),
    ("DB: OTel statement spans (platform_core/db_tracing.py)", r"platform_core/db_tracing\.py"),
)
# Library fallbacks: used only when no component rule matches any frame.
FALLBACKS = _rules(
    ("DB: SQLAlchemy async/pool (outside greenlets)", r"sqlalchemy/|sqlmodel/"),
    ("DB: asyncpg", r"asyncpg/"),
    (
        "threads: waking the event loop (call_soon_threadsafe)",
        r"asyncio/",
        r"_write_to_self|call_soon_threadsafe",
    ),
    (
        "asyncio: socket reads/writes outside any component (PG replies, HTTP)",
        r"asyncio/selector_events\.py",
        r"write|_read_ready|sock_",
    ),
    ("asyncio: event loop, tasks, futures", r"asyncio/|selectors\.py|contextvars"),
    ("threads: hand-offs (call_soon_threadsafe, futures)", r"concurrent/futures|threading\.py"),
    ("logging", r"logging/|pythonjsonlogger|logging_setup"),
)
LAYERS = _rules(
    (
        "OpenTelemetry",
        r"opentelemetry/|trace/__init__\.py|db_tracing\.py|temporal_workflows/tracing\.py|contrib/opentelemetry|context/contextvars_context\.py",
    ),
    ("SQLAlchemy/SQLModel", r"sqlalchemy/|sqlmodel/"),
    ("asyncpg", r"asyncpg/"),
    ("pydantic", r"pydantic/|pydantic_core"),
    (
        "imports (sandbox re-import)",
        r"importlib|dataclasses\.py|<string>",
        r"_create_fn|_process_class|<module>|_find_and_load|exec_module|_compile_bytecode|_path_stat",
    ),
    ("json / dataclass conversion", r"^json/|/json/|dataclasses\.py"),
    ("thread hand-offs", r"asyncio/", r"_write_to_self|call_soon_threadsafe"),
    ("socket syscalls", r"asyncio/selector_events\.py", r"write|_read_ready|sock_"),
    ("asyncio", r"asyncio/|selectors\.py"),
    ("Temporal SDK", r"temporalio/"),
    ("litellm / tiktoken", r"litellm|tiktoken|streaming_chunk_builder|fallback_generalizations"),
    ("logging", r"logging/|pythonjsonlogger"),
    ("prometheus_client", r"prometheus_client/"),
    ("FastAPI/Starlette/uvicorn", r"fastapi/|starlette/|uvicorn/|httptools"),
    (
        "platform code",
        r"^(platform_api|platform_core|activities|temporal_workflows|node_types|agentpaas)/",
    ),
)
# Components grouped into areas (first matching prefix wins), for a one-line summary.
AREAS = (
    ("OpenTelemetry", ("OTel", "DB: OTel")),
    ("Temporal SDK", ("Temporal:", "(thread with no Python")),
    ("DB client", ("DB:", "run event log")),
    ("litellm", ("litellm", "node.llm: litellm", "node.llm: prompt", "node.llm: cost")),
    ("run records, quota, targets", ("node.llm", "finish_execution", "records:", "run event")),
    (
        "API run registration",
        ("API chat turn", "API execute", "API quota", "API launcher", "API route"),
    ),
    ("API auth", ("API auth",)),
    ("API rate limiter", ("API rate",)),
    ("API audit trail", ("API audit",)),
    ("API SSE + standing", ("API SSE", "API standing")),
    ("HTTP + framework + middleware", ("HTTP", "FastAPI", "API ")),
)
OTHER = "other"
NATIVE = "(thread with no Python frames: native code)"
# Leaf frames of a thread that waits in C (a queue, a lock, epoll).
_WAIT_LEAVES = re.compile(
    r"^(_worker|WorkerThread\.run|Condition\.wait|Event\.wait|Thread\.join|Queue\.get|"
    r"EpollSelector\.select|SelectSelector\.select|sleep|Lock\.acquire|Semaphore\.acquire)$"
)


@dataclass(frozen=True)
class Sample:
    """One distinct stack of one thread and how often it was seen."""

    tid: str
    thread: str
    frames: tuple[tuple[str, str], ...]  # (function, file), root first
    count: int


def read_raw(path: Path) -> list[Sample]:
    """The samples of a raw py-spy file."""
    samples: list[Sample] = []
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        parts = stack.split(";")
        head = _THREAD.match(parts[0])
        tid, name = (head.group("tid"), head.group("name") or "") if head else ("?", "")
        frames = []
        for part in parts[1:] if head else parts:
            match = _FRAME.match(part)
            frames.append((match.group("func"), match.group("file")) if match else (part, ""))
        samples.append(Sample(tid, name, tuple(frames), int(count)))
    return samples


def is_waiting(sample: Sample) -> bool:
    """A thread blocked in C: an executor's queue, a lock, the event loop's epoll."""
    return bool(sample.frames) and _WAIT_LEAVES.match(sample.frames[-1][0]) is not None


def _is_greenlet(sample: Sample) -> bool:
    # SQLAlchemy runs the sync side of AsyncSession calls in a greenlet of its own.
    return sample.frames[0][1].startswith(("sqlalchemy/", "sqlmodel/"))


def component_of(sample: Sample) -> str:
    """The component a sample's CPU belongs to (see the module docstring)."""
    if not sample.frames:
        return NATIVE
    for func, file in sample.frames:
        for rule in COMPONENTS:
            if rule.dominant and rule.matches(func, file):
                return rule.label
    for rules in (COMPONENTS, FALLBACKS):
        for func, file in reversed(sample.frames):
            for rule in rules:
                if not rule.dominant and rule.matches(func, file):
                    if rules is FALLBACKS and _is_greenlet(sample):
                        return GREENLET
                    return rule.label
    return GREENLET if _is_greenlet(sample) else OTHER


def components_in(sample: Sample) -> set[str]:
    """Every component any frame of the sample belongs to (for inclusive times)."""
    found = {
        rule.label
        for func, file in sample.frames
        for rule in COMPONENTS
        if rule.matches(func, file)
    }
    if sample.frames and _is_greenlet(sample):
        found.add(GREENLET)
    return found


def layer_of(sample: Sample) -> str:
    """The library (or the platform's own code) a sample's leaf-most known frame is in."""
    for func, file in reversed(sample.frames):
        for rule in LAYERS:
            if rule.matches(func, file):
                return rule.label
    return OTHER


def thread_role(name: str, samples: list[Sample]) -> str:
    """What a thread is for, from its name and what it ran."""
    if name == "MainThread":
        return "event loop (main thread)"
    if name.startswith("temporal_workflow"):
        return "workflow activation threads"
    if name.startswith("asyncio_"):
        return "default executor threads (litellm's sync completion)"
    if name.startswith("AnyIO"):
        return "AnyIO worker threads"
    if all(not s.frames for s in samples):
        return "threads with no Python frames (native, e.g. Temporal Core)"
    return "other threads"


def summarize_profile(
    path: Path,
    *,
    rate: int,
    runs: int,
    cpu_seconds: float,
    thread_seconds: dict[str, float] | None = None,
    idle: bool = False,
) -> dict[str, Any]:
    """A profile's samples as CPU milliseconds per run by component, layer and thread role.

    ``thread_seconds`` (tid → CPU seconds in the window, from /proc) weights each thread's
    samples; without it each sample counts 1/``rate`` s. With ``idle``, the waiting samples
    are summarised per thread role instead (share of that role's samples).
    """
    samples = read_raw(path)
    by_thread: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_thread[s.tid].append(s)
    names = {
        tid: next((s.thread for s in group if s.thread), "") for tid, group in by_thread.items()
    }
    roles = {tid: thread_role(names[tid], group) for tid, group in by_thread.items()}
    if idle:
        return _waits(by_thread, roles)
    weights: dict[str, float] = {}
    sampled_ms: dict[str, float] = {}
    for tid, group in by_thread.items():
        active = sum(s.count for s in group if not is_waiting(s))
        sampled_ms[tid] = 1000.0 * active / rate
        measured = (thread_seconds or {}).get(tid)
        weights[tid] = (
            (1000.0 * measured / active) if (measured is not None and active) else (1000.0 / rate)
        )
    components: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    layers: Counter[str] = Counter()
    matrix: dict[str, Counter[str]] = defaultdict(Counter)
    role_ms: Counter[str] = Counter()
    for s in samples:
        if is_waiting(s):
            continue
        ms = s.count * weights[s.tid] / runs
        label = component_of(s)
        layer = layer_of(s)
        components[label] += ms
        layers[layer] += ms
        matrix[label][layer] += ms
        role_ms[roles[s.tid]] += ms
        for name in components_in(s):
            inclusive[name] += ms
    total = sum(components.values())
    areas: Counter[str] = Counter()
    for label, ms in components.items():
        areas[
            next((a for a, pre in AREAS if label.startswith(pre)), "event loop, sockets, threads")
        ] += ms
    return {
        "areas": dict(areas.most_common()),
        "samples": sum(s.count for s in samples),
        "idle_samples": sum(s.count for s in samples if is_waiting(s)),
        "process_cpu_ms_per_run": 1000.0 * cpu_seconds / runs,
        "profiled_ms_per_run": total,
        "sampled_ms_per_run": sum(sampled_ms.values()) / runs,
        "threads": {
            tid: {
                "name": names[tid],
                "role": roles[tid],
                "sampled_ms": sampled_ms[tid],
                "cpu_ms": 1000.0 * (thread_seconds or {}).get(tid, 0.0),
            }
            for tid in by_thread
        },
        "roles": dict(role_ms.most_common()),
        "components": {
            k: {
                "ms_per_run": v,
                "pct": 100.0 * v / total if total else 0.0,
                "inclusive_ms_per_run": inclusive.get(k, v),
            }
            for k, v in components.most_common()
        },
        "layers": dict(layers.most_common()),
        "matrix": {k: dict(v.most_common()) for k, v in matrix.items()},
    }


def _waits(by_thread: dict[str, list[Sample]], roles: dict[str, str]) -> dict[str, Any]:
    """Per thread role: the share of samples busy, and where the waiting ones wait."""
    out: dict[str, dict[str, Any]] = {}
    for tid, group in by_thread.items():
        role = out.setdefault(
            roles[tid], {"threads": 0, "samples": 0, "busy": 0, "waits": Counter()}
        )
        role["threads"] += 1
        for s in group:
            role["samples"] += s.count
            if is_waiting(s):
                role["waits"][s.frames[-1][0]] += s.count
            else:
                role["busy"] += s.count
    return {
        "idle_profile": True,
        "roles": {
            name: {
                "threads": r["threads"],
                "busy_pct": 100.0 * r["busy"] / r["samples"] if r["samples"] else 0.0,
                "waits_pct": {k: 100.0 * v / r["samples"] for k, v in r["waits"].most_common(5)},
            }
            for name, r in out.items()
        },
    }


def print_profile(process: str, profile: dict[str, Any], top: int = 30) -> None:
    """The component table (and the layers) of one process, or its waits."""
    if profile.get("idle_profile"):
        print(f"   {process}: where the threads are (share of each role's samples)")
        for role, r in profile["roles"].items():
            waits = ", ".join(f"{k} {v:.0f}%" for k, v in r["waits_pct"].items())
            print(f"     {role} ({r['threads']}): busy {r['busy_pct']:.0f}%; {waits}")
        return
    print(
        f"   {process}: {profile['profiled_ms_per_run']:.1f} ms/run profiled (Python threads, "
        f"/proc-weighted; py-spy's own count {profile['sampled_ms_per_run']:.1f}) of "
        f"{profile['process_cpu_ms_per_run']:.1f} ms/run process CPU; "
        f"{profile['samples']} samples, {profile['idle_samples']} waiting"
    )
    print("     by thread role: " + ", ".join(f"{k} {v:.1f}" for k, v in profile["roles"].items()))
    print(f"     {'component':<78} {'ms/run':>7} {'%':>5} {'incl.':>7}")
    for name, c in list(profile["components"].items())[:top]:
        layers = profile["matrix"].get(name, {})
        spread = ", ".join(f"{k} {v:.1f}" for k, v in list(layers.items())[:3])
        print(
            f"     {name[:78]:<78} {c['ms_per_run']:7.2f} {c['pct']:5.1f} "
            f"{c['inclusive_ms_per_run']:7.2f}   [{spread}]"
        )
    print("     by layer: " + ", ".join(f"{k} {v:.1f}" for k, v in profile["layers"].items()))
    print("     by area: " + ", ".join(f"{k} {v:.1f}" for k, v in profile["areas"].items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw", type=Path)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--idle", action="store_true")
    arguments = parser.parse_args()
    result = summarize_profile(
        arguments.raw,
        rate=arguments.rate,
        runs=arguments.runs,
        cpu_seconds=0.0,
        idle=arguments.idle,
    )
    print_profile(arguments.raw.name, result, top=60)
