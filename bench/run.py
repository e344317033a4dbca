"""Benchmark briefs against the floor, in one run, and print one table.

    python bench/run.py                  # everything (the 10,000-recipient batches take a while)
    python bench/run.py --quick          # skip the 10,000-recipient batches
    python bench/run.py --floor DIR      # a folder holding floor.py, the floor to compare with (skipped when absent)

Warm figures time the pipeline in this process (select, compose, write to memory) for each
built-in audience in turn; the floor (python-docx and reportlab called directly, no templating,
no validation) is timed in the same process and run, so the ratio is fair on a noisy machine.
Batch figures run the real command line in a subprocess. Figures are saved as JSON beside the
table (bench/results/latest.json) so runs can be compared.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefs import collector  # noqa: E402
from briefs.compose import compose  # noqa: E402
from briefs.models import Figure  # noqa: E402
from briefs.pipeline import load_inputs  # noqa: E402
from briefs.selection import select  # noqa: E402
from briefs.writers import Writer, forget_kept, formats  # noqa: E402
from briefs.writers import get_writer as _get_writer  # noqa: E402

DATA = ROOT / "data" / "us-japan-critical-minerals-2025.yaml"


def get_writer(fmt: str) -> Writer:
    """Return `fmt`'s writer made to write each brief as a new one: the files writers keep to finish the next brief of a
    batch are forgotten before each call (line breaks and parsed paragraphs, shared by audiences, are kept). Without this a
    warm loop over the same few briefs would time copies of finished files."""
    write = _get_writer(fmt)
    from briefs.writers import docx, pdf

    def fresh(document: object, out: object, style: object = None) -> list[str]:
        pdf._KEPT.clear()
        docx._KEPT.clear()
        return write(document, out, style)  # type: ignore[arg-type]

    return fresh  # type: ignore[return-value]


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median_ms": round(statistics.median(ordered) * 1000, 1), "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))] * 1000, 1)}


def _timed(fn: Callable[[], object], n: int) -> list[float]:
    fn()
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def warm_briefs(n: int, floor_dir: Path | None = None) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]] | None]:
    """Time select+compose+write per brief by format, cycling through the audiences; return (ours, the floor's).

    DOCX, PDF and both are timed side by side with the floor (`floor_dir`), one of ours then one of
    the floor's, the order alternating: this machine's speed drifts by tens of percent over a minute,
    and two series timed one after the other would compare two machines."""
    inputs = load_inputs([DATA])
    dataset = inputs.datasets[0][1]
    profiles = list(inputs.profiles.values())
    counter = iter(range(10**9))
    writers = {fmt: get_writer(fmt) for fmt in formats()}

    def brief(formats: tuple[str, ...]) -> Callable[[], None]:
        def one() -> None:
            profile = profiles[next(counter) % len(profiles)]
            document = compose(select(dataset, profile), inputs.renderer, template=profile.template)
            for fmt in formats:
                writers[fmt](document, io.BytesIO())
        return one

    floors = _floor_briefs(floor_dir) if floor_dir is not None else None
    ours: dict[str, dict[str, float]] = {}
    theirs: dict[str, dict[str, float]] = {}
    for fmt in (*formats(), "docx+pdf"):
        mine = brief(tuple(fmt.split("+")))
        if floors is None or fmt not in floors:
            ours[fmt] = _stats(_timed(mine, n))
            continue
        samples = _side_by_side(mine, floors[fmt], n)
        ours[fmt], theirs[fmt] = _stats(samples[0]), _stats(samples[1])
    return ours, theirs or None


def first_of_audience(floor_dir: Path, n: int) -> dict[str, float] | None:
    """Time an audience's first DOCX+PDF brief in a process that has written only the other audiences' briefs (what is
    kept across briefs, forgotten first, then holds only what audiences share), side by side with the floor.

    The warm rows time briefs their process has written before (a batch, the preview); this is the least such
    sharing can give."""
    floors = _floor_briefs(floor_dir)
    if floors is None:
        return None
    inputs = load_inputs([DATA])
    dataset = inputs.datasets[0][1]
    profiles = list(inputs.profiles.values())
    writers = [_get_writer(fmt) for fmt in ("docx", "pdf")]
    counter = iter(range(10**9))

    def brief(profile: object) -> None:
        document = compose(select(dataset, profile), inputs.renderer, template=profile.template)  # type: ignore[attr-defined]
        for write in writers:
            write(document, io.BytesIO())

    ours: list[float] = []
    theirs: list[float] = []
    for index in range(n):
        audience = profiles[next(counter) % len(profiles)]
        forget_kept()
        for other in profiles:
            if other is not audience:
                brief(other)
        timed = ((partial(brief, audience), ours), (floors["docx+pdf"], theirs))
        for fn, samples in timed if index % 2 == 0 else timed[::-1]:
            started = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - started)
    mine, base = _stats(ours)["median_ms"], _stats(theirs)["median_ms"]
    return {"first_ms": mine, "floor_ms": base, "ratio": round(mine / base, 2)}


def _side_by_side(first: Callable[[], object], second: Callable[[], object], n: int) -> tuple[list[float], list[float]]:
    """Time `first` and `second` `n` times each, in pairs, alternating which goes first."""
    first()
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for index in range(n):
        order = ((first, times[0]), (second, times[1])) if index % 2 == 0 else ((second, times[1]), (first, times[0]))
        for fn, samples in order:
            started = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - started)
    return times


def fitted_briefs(n: int, pages: int = 1) -> dict[str, float]:
    """Time a brief fitted to `pages` against an unfitted one, both select+compose+write DOCX and PDF, alternating in this
    process; report the layouts the fitting measured per brief."""
    from briefs.pipeline import fit_brief, style_for

    inputs = load_inputs([DATA])
    path, dataset = inputs.datasets[0]
    profiles = list(inputs.profiles.values())
    writers = {fmt: get_writer(fmt) for fmt in ("docx", "pdf")}
    styles = {fmt: style_for(inputs.look, path, dataset, fmt) for fmt in writers}
    counter = iter(range(10**9))
    layouts: list[int] = []

    def unfitted() -> None:
        profile = profiles[next(counter) % len(profiles)]
        document = compose(select(dataset, profile), inputs.renderer, template=profile.template)
        for fmt, write in writers.items():
            write(document, io.BytesIO(), styles[fmt])

    def fitted() -> None:
        profile = profiles[next(counter) % len(profiles)]
        done = fit_brief(inputs, path, dataset, profile, pages, tuple(writers), None)
        layouts.append(done.layouts)
        for fmt, write in writers.items():
            write(done.document, io.BytesIO(), styles[fmt])

    plain, fit = [], []
    for _ in range(3):  # alternating rounds: a noisy machine slows both alike
        plain += _timed(unfitted, n)
        fit += _timed(fitted, n)
    ours, base = _stats(fit), _stats(plain)
    return {"fitted_ms": ours["median_ms"], "unfitted_ms": base["median_ms"], "ratio": round(ours["median_ms"] / base["median_ms"], 2),
            "layouts": round(statistics.mean(layouts), 1), "pages": pages}


def personalised_briefs(floor_dir: Path, n: int, rounds: int = 3) -> dict[str, float] | None:
    """Time personalised DOCX+PDF briefs (a new recipient each, audiences in turn) as a one-worker batch lays them out, the same
    with nothing kept from earlier briefs ("alone"), and the floor: alternating rounds in this process."""
    floors = _floor_briefs(floor_dir)
    if floors is None:
        return None
    inputs = load_inputs([DATA])
    dataset = inputs.datasets[0][1]
    briefs = [(select(dataset, p), p.template) for p in inputs.profiles.values()]
    writers = [_get_writer(fmt) for fmt in ("docx", "pdf")]
    counter = iter(range(10**9))

    def ours() -> None:
        number = next(counter)
        brief, template = briefs[number % len(briefs)]
        recipient = {"name": f"Recipient {'X' * (number % 7)} {number:05d}", "organisation": f"Org {number % 37}"}
        document = compose(brief, inputs.renderer, template=template, recipient=recipient)
        for write in writers:
            write(document, io.BytesIO())

    def alone() -> None:
        forget_kept()
        ours()

    base = floors["docx+pdf"]

    kept, fresh, floors = [], [], []
    for _ in range(rounds):  # alternating rounds: a noisy machine slows all alike
        kept += _timed(ours, n)
        fresh += _timed(alone, n)
        floors += _timed(base, n)
    reused, scratch, bottom = (_stats(samples)["median_ms"] for samples in (kept, fresh, floors))
    return {"reused_ms": reused, "alone_ms": scratch, "floor_ms": bottom, "ratio": round(reused / bottom, 2),
            "alone_ratio": round(scratch / bottom, 2)}


def tagging_cost(n: int, rounds: int = 4) -> dict[str, float]:
    """Time the PDF writer with and without tagging, alternating rounds in this process (the untagged run
    draws with no tagger on the canvas: no marked content, no structure tree)."""
    from briefs.writers.pdf import canvas

    inputs = load_inputs([DATA])
    dataset = inputs.datasets[0][1]
    documents = [compose(select(dataset, p), inputs.renderer, template=p.template) for p in inputs.profiles.values()]
    write = get_writer("pdf")
    counter = iter(range(10**9))

    def one() -> None:
        write(documents[next(counter) % len(documents)], io.BytesIO())

    original = canvas._PagedCanvas.__init__

    def untagged(self: object, *args: object, **kwargs: object) -> None:
        kwargs["tagger"] = None
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    tagged_ms, untagged_ms = [], []
    for _ in range(rounds):
        tagged_ms.append(_stats(_timed(one, n))["median_ms"])
        canvas._PagedCanvas.__init__ = untagged  # type: ignore[method-assign]
        try:
            untagged_ms.append(_stats(_timed(one, n))["median_ms"])
        finally:
            canvas._PagedCanvas.__init__ = original  # type: ignore[method-assign]
    tagged, plain = statistics.median(tagged_ms), statistics.median(untagged_ms)
    return {"tagged_ms": tagged, "untagged_ms": plain, "ratio": round(tagged / plain, 3)}


def stages(n: int) -> dict[str, float]:
    """Median ms per brief of each stage: load (per run), select, render, parse, DOCX, PDF, charts, file write."""
    from briefs.loading import load_dataset
    from briefs.parsing import parse_blocks

    inputs = load_inputs([DATA])
    dataset = inputs.datasets[0][1]
    profiles = list(inputs.profiles.values())
    timings: dict[str, list[float]] = {k: [] for k in ("load", "select", "render", "parse", "docx", "pdf", "write")}
    writers = {fmt: get_writer(fmt) for fmt in formats()}
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(n + 1):
            profile = profiles[index % len(profiles)]
            marks = [time.perf_counter()]
            load_dataset(DATA)
            marks.append(time.perf_counter())
            brief = select(dataset, profile)
            marks.append(time.perf_counter())
            markup = inputs.renderer.render("brief.html.j2", {"brief": brief})
            marks.append(time.perf_counter())
            parse_blocks(markup, {figure.id: figure for figure in brief.figures})
            marks.append(time.perf_counter())
            document = compose(brief, inputs.renderer)
            outputs = []
            for fmt in ("docx", "pdf"):
                buffer = io.BytesIO()
                started = time.perf_counter()
                writers[fmt](document, buffer)
                timings[fmt].append(time.perf_counter() - started) if index else None
                outputs.append(buffer.getvalue())
            started = time.perf_counter()
            for number, data in enumerate(outputs):
                from briefs.output import write_atomic

                write_atomic(Path(tmp) / f"{index}-{number}.bin", data)
            write_time = time.perf_counter() - started
            if index:  # the first pass warms caches
                for name, start, end in zip(("load", "select", "render", "parse"), marks, marks[1:], strict=False):
                    timings[name].append(end - start)
                timings["write"].append(write_time)
    result = {name: round(statistics.median(values) * 1000, 2) for name, values in timings.items()}
    result.update(chart_first_draws(dataset.figures[0], n))
    return result


def chart_first_draws(figure: Figure, n: int) -> dict[str, float]:
    """Median ms of drawing a chart with its cache empty (PNG for DOCX, vector for PDF), each timed on its own.

    Each is the drawing call itself, timed directly: a difference of two timings (an uncached PDF
    write minus the median write) is noise-sized and once printed -89 ms.
    """
    from reportlab.lib.units import cm  # type: ignore[import-untyped]

    from briefs.doctree import Figure as ChartFigure
    from briefs.writers.docx.chart import bar_chart_png
    from briefs.writers.pdf import chart as pdf_chart
    from briefs.writers.pdf.runs import FontRuns
    from briefs.writers.theme import Theme

    points = tuple((label, float(value)) for label, value in figure.data.items())
    shown = ChartFigure(figure.id, figure.title, points, figure.unit, "", ())
    png = _first_draws(lambda: bar_chart_png(points, figure.unit), bar_chart_png.cache_clear, n)
    vector = _first_draws(lambda: pdf_chart.bar_chart(shown, Theme(), 15 * cm, FontRuns()), pdf_chart._cached_chart.cache_clear, n)
    return {"chart_png_first_draw": png, "chart_vector_first_draw": vector}


def _first_draws(draw: Callable[[], object], clear: Callable[[], None], n: int) -> float:
    """Return the median ms of `draw` run `n` times, its cache cleared before each (never negative: one duration each)."""
    samples = []
    for _ in range(n):
        clear()
        started = time.perf_counter()
        draw()
        samples.append(time.perf_counter() - started)
    return round(statistics.median(samples) * 1000, 2)


def _floor_briefs(floor_dir: Path) -> dict[str, Callable[[], object]] | None:
    """Return the floor's DOCX, PDF and both, each one brief written in this process; None without the floor."""
    if not (floor_dir / "floor.py").is_file():
        return None
    sys.path.insert(0, str(floor_dir))
    import floor  # type: ignore[import-not-found]

    data = json.loads((floor_dir / "data.json").read_text(encoding="utf-8"))
    floor._use_ttf()
    docx = lambda: floor.build_docx(data, io.BytesIO(), floor.CHART, tuned=True)  # noqa: E731
    pdf = lambda: floor.build_pdf(data, io.BytesIO(), floor.CHART)  # noqa: E731
    return {"docx": docx, "pdf": pdf, "docx+pdf": lambda: (docx(), pdf())}


def _run(args: list[str], cwd: Path) -> float:
    """Run a command; return its wall time in seconds."""
    started = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return wall


def cold_default_run(runs: int = 3) -> dict[str, float]:
    """Wall time of `python generate.py` (4 audiences x 2 formats) in a fresh process."""
    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            wall = _run([sys.executable, str(ROOT / "generate.py"), "--data", str(DATA), "--out", tmp], Path(tmp))
            walls.append(wall)
    return {"median_s": round(statistics.median(walls), 2), "min_s": round(min(walls), 2)}


def _recipients(path: Path, count: int) -> None:
    audiences = ["investor", "manufacturer", "policymaker", "researcher"]
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "audience", "email", "organisation"])
        for i in range(count):
            writer.writerow([f"Recipient {i:05d}", audiences[i % 4], f"r{i}@example.org", f"Org {i % 37}"])


def batch(count: int, jobs: int) -> dict[str, float]:
    """Run a fresh `count`-recipient batch with `jobs` workers, then a rerun with nothing changed."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _recipients(folder / "r.csv", count)
        command = [sys.executable, str(ROOT / "generate.py"), "batch", "r.csv", "--data", str(DATA), "--out", "out", "--jobs", str(jobs)]
        # Peak RSS is read per run from a fresh process tree: ru_maxrss of children is a running maximum.
        wall, peak, _ = _run_isolated(command, folder)
        rerun, _, _ = _run_isolated(command, folder)
        files = len(list((folder / "out").rglob("*.pdf"))) + len(list((folder / "out").rglob("*.docx")))
    return {"recipients": count, "jobs": jobs, "files": files, "wall_s": round(wall, 1),
            "briefs_per_s": round(count / wall, 1), "peak_rss_mb": peak, "rerun_s": round(rerun, 2)}


def marginal_batch(small: int, large: int, jobs: int) -> dict[str, float]:
    """Return the marginal cost of a personalised DOCX+PDF brief in a batch: (wall of `large` recipients - wall of `small`)
    / (large - small), start-up and loading cancelled out, each a fresh run of the command line."""
    runs = {count: batch(count, jobs) for count in (small, large)}
    marginal = (runs[large]["wall_s"] - runs[small]["wall_s"]) / (large - small)
    return {"small": small, "large": large, "jobs": jobs, "marginal_ms": round(marginal * 1000, 1),
            "wall_small_s": runs[small]["wall_s"], "wall_large_s": runs[large]["wall_s"],
            "peak_rss_mb": max(run["peak_rss_mb"] for run in runs.values())}


def send_messages(count: int) -> dict[str, float] | None:
    """Time `send` of `count` messages (PDF attached) to an SMTP server on loopback, the briefs already written."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        return None

    class Sink:
        received = 0

        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            Sink.received += 1
            return "250 OK"

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _recipients(folder / "r.csv", count)
        render = [sys.executable, str(ROOT / "generate.py"), "batch", "r.csv", "--data", str(DATA), "--out", "out", "-f", "pdf"]
        _run(render, folder)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(Sink(), hostname="127.0.0.1", port=port)
        controller.start()
        try:
            command = [sys.executable, str(ROOT / "generate.py"), "send", "r.csv", "--data", str(DATA), "--out", "out",
                       "--smtp", f"127.0.0.1:{port}", "--from", "bench@example.org"]
            wall = _run(command, folder)
            rerun = _run(command, folder)
        finally:
            controller.stop()
    return {"messages": count, "received": Sink.received, "wall_s": round(wall, 1), "per_s": round(count / wall, 1),
            "rerun_s": round(rerun, 2)}


def _run_isolated(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Run `command`; return wall seconds, the peak RSS in MB of its largest process, and stdout.

    The peak is each process's own high-water mark (VmHWM), polled every 0.2 s over the whole
    process tree: worker processes are children of a fork server, which a wait-based rusage misses.
    """
    # Output goes to files, not pipes: a run printing more than a pipe holds would block on it, unread until the end.
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=stdout, stderr=stderr, text=True)
        peak = 0
        while True:
            peak = max(peak, _tree_peak_kb(process.pid))
            try:
                process.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                continue
        wall = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read(), stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err[-2000:]}")
    return wall, round(peak / 1024), out


def _tree_peak_kb(root: int) -> int:
    """Return the largest VmHWM (kB) among `root` and its descendants now alive (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        grew = bool(more)
        tree |= more
    peak = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak


def big_brief() -> dict[str, float]:
    """One brief (DOCX+PDF) from 2,000 facts and 200 sources, all selected."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines = ["id: big", "title: A large data file", "subtitle: 2,000 facts and 200 sources", "as_of: 2025-11-15",
                 "summary: Many facts.", "topics:", "  markets: Markets", "  supply: Supply", "sources:"]
        for s in range(200):
            lines += [f"  - id: s{s}", f"    title: Source number {s}", f"    publisher: Publisher {s}",
                      f"    url: https://example.org/source/{s}", "    reliability: B"]
        lines.append("facts:")
        for f in range(2000):
            status = "unverified" if f % 10 == 0 else "confirmed"
            lines += [f"  - id: f{f}", f"    text: Fact number {f} says something about the market and its supply chains.",
                      "    topics: [markets, supply]", f"    sources: [s{f % 200}, s{(f * 7) % 200}]", f"    status: {status}"]
        (folder / "big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        audiences = folder / "tpl" / "audiences"
        audiences.mkdir(parents=True)
        (audiences / "everyone.yaml").write_text(
            "id: everyone\nlabel: Everyone\nfocus: All of it\ninterests: {markets: 1, supply: 1}\nmax_facts: 2000\n"
            "min_score: 0\nsections: [summary, key_facts, caveats, sources]\ndisclaimer: Benchmark.\n", encoding="utf-8")
        command = [sys.executable, str(ROOT / "generate.py"), "--data", "big.yaml", "--templates", "tpl", "-a", "everyone",
                   "--out", "out"]
        wall, peak, _ = _run_isolated(command, folder)
        pages = 0
        try:
            from pypdf import PdfReader

            pages = len(PdfReader(str(folder / "out" / "big" / "everyone.pdf")).pages)
        except ImportError:
            pass
    return {"wall_s": round(wall, 2), "peak_rss_mb": peak, "pdf_pages": pages}


def preview_reload(runs: int = 5) -> dict[str, float] | None:
    """Time a saved edit of the data file to the reloaded page showing it, in `serve` and headless Chromium."""
    import shutil
    import signal

    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
    except ImportError:
        return None
    if not shutil.which("chromedriver"):
        return None
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "data").mkdir()
        data = project / "data" / DATA.name
        text = DATA.read_text(encoding="utf-8")
        data.write_text(text, encoding="utf-8")
        server = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0"], cwd=project,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert server.stdout is not None
        url = server.stdout.readline().split()[4]
        options = webdriver.ChromeOptions()
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"):
            options.add_argument(argument)
        driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
        samples = []
        try:
            driver.get(url + "us-japan-critical-minerals-2025/policymaker.html")
            for run in range(runs):
                title = f"Edition {run}"
                started = time.perf_counter()
                data.write_text(text.replace("title: U.S.–Japan Critical Minerals and Rare Earths Framework", f"title: {title}"),
                                encoding="utf-8")
                while True:
                    try:
                        if driver.find_element(By.TAG_NAME, "h1").text == title:
                            break
                    except Exception:
                        pass
                    time.sleep(0.01)
                samples.append(time.perf_counter() - started)
        finally:
            driver.quit()
            server.send_signal(signal.SIGINT)
            server.wait(20)
    return {"median_s": round(statistics.median(samples), 2), "max_s": round(max(samples), 2), "runs": runs}


def _table(results: dict) -> str:
    rows = ["| measure | briefs | floor | ratio |", "|---|---|---|---|"]
    floor = results.get("floor") or {}
    for fmt in (*formats(), "docx+pdf"):
        ours = results["warm"][fmt]
        base = floor.get(fmt)
        ratio = f"{ours['median_ms'] / base['median_ms']:.2f}×" if base else "-"
        base_text = f"{base['median_ms']} / {base['p90_ms']} ms" if base else "-"
        rows.append(f"| warm {fmt} per brief (median / p90) | {ours['median_ms']} / {ours['p90_ms']} ms | {base_text} | {ratio} |")
    first = results.get("first_of_audience")
    if first:
        rows.append(f"| warm docx+pdf, an audience's first brief in the process (only the other audiences' briefs written "
                    f"before; median) | {first['first_ms']} ms | {first['floor_ms']} ms | {first['ratio']:.2f}× |")
    fitted = results.get("fitted")
    if fitted:
        rows.append(f"| warm docx+pdf per brief fitted to {fitted['pages']} page ({fitted['layouts']} layouts) / unfitted "
                    f"(median) | {fitted['fitted_ms']} / {fitted['unfitted_ms']} ms | | {fitted['ratio']:.2f}× |")
    personal = results.get("personalised")
    if personal:
        rows.append(f"| warm personalised docx+pdf per recipient, finished from the audience's last brief (median) | "
                    f"{personal['reused_ms']} ms | "
                    f"{personal['floor_ms']} ms | {personal['ratio']:.2f}× |")
        rows.append(f"| the same, each laid out alone (median) | {personal['alone_ms']} ms | {personal['floor_ms']} ms | "
                    f"{personal['alone_ratio']:.2f}× |")
    tagging = results.get("tagging")
    if tagging:
        rows.append(f"| warm pdf per brief, tagged / untagged (median of rounds) | {tagging['tagged_ms']:.1f} / "
                    f"{tagging['untagged_ms']:.1f} ms | | {tagging['ratio']:.2f}× |")
    marginal = results.get("marginal")
    if marginal:
        base = floor.get("docx+pdf")
        ratio = f"{marginal['marginal_ms'] / base['median_ms']:.2f}×" if base else "-"
        rows.append(f"| personalised batch, 1 worker, marginal DOCX+PDF per recipient ({marginal['large']:,} - {marginal['small']:,} "
                    f"recipients) | {marginal['marginal_ms']} ms | {base['median_ms'] if base else '-'} ms | {ratio} |")
    walls = {(run["recipients"], run["jobs"]): run["wall_s"] for run in results.get("batches", [])}
    if {(1000, 1), (10000, 1), (1000, 2), (10000, 2)} <= set(walls):
        one, two = ((walls[(10000, jobs)] - walls[(1000, jobs)]) / 9000 * 1000 for jobs in (1, 2))
        rows.append(f"| marginal per recipient, 1 / 2 workers (10,000 - 1,000 recipients) | {one:.1f} / {two:.1f} ms | | "
                    f"{one / two:.2f}× faster |")
    cold = results["cold_default_run"]
    rows.append(f"| cold default run, 4 audiences × 2 formats | {cold['median_s']} s | | |")
    for run in results.get("batches", []):
        rows.append(
            f"| batch {run['recipients']:,} recipients, {run['jobs']} worker(s), DOCX+PDF | {run['wall_s']} s, "
            f"{run['briefs_per_s']} briefs/s, peak RSS {run['peak_rss_mb']} MB | | |"
        )
        rows.append(f"| rerun with nothing changed ({run['recipients']:,}, {run['jobs']} worker(s)) | {run['rerun_s']} s | | |")
    sent = results.get("send")
    if sent:
        rows.append(f"| send {sent['messages']:,} messages (PDF attached) to SMTP on loopback, briefs written | {sent['wall_s']} s, "
                    f"{sent['per_s']} messages/s | | |")
        rows.append(f"| send again, nothing new to send ({sent['messages']:,}) | {sent['rerun_s']} s | | |")
    big = results.get("big_brief")
    if big:
        rows.append(f"| one brief from 2,000 facts and 200 sources, DOCX+PDF ({big['pdf_pages']} PDF pages) | {big['wall_s']} s, "
                    f"peak RSS {big['peak_rss_mb']} MB | | |")
    reload = results.get("preview_reload")
    if reload:
        rows.append(f"| serve: saved edit of the data file to the reloaded page in Chromium ({reload['runs']} saves) | "
                    f"{reload['median_s']} s median, {reload['max_s']} s max | | |")
    stage = results.get("stages")
    if stage:
        rows.append("")
        rows.append("| stage, warm, per brief | ms |")
        rows.append("|---|---|")
        for name, value in stage.items():
            rows.append(f"| {name.replace('_', ' ')} | {value} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="warm briefs per measure (default 40)")
    parser.add_argument("--quick", action="store_true", help="skip the 10,000-recipient batches")
    parser.add_argument("--no-batch", action="store_true", help="skip all batches")
    parser.add_argument("--floor", type=Path, default=ROOT.parent / "shared" / "bench", help="folder of floor.py")
    args = parser.parse_args()
    collector.tune()  # as the command line and batch workers do: the floor, timed in this process, runs with it too
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "system": platform.platform()}}
    results["warm"], results["floor"] = warm_briefs(args.n, args.floor)
    results["first_of_audience"] = first_of_audience(args.floor, max(8, args.n // 2))
    results["fitted"] = fitted_briefs(max(4, args.n // 4))
    results["personalised"] = personalised_briefs(args.floor, max(4, args.n // 2))
    results["tagging"] = tagging_cost(args.n)
    results["stages"] = stages(args.n)
    results["cold_default_run"] = cold_default_run()
    if not args.no_batch:
        sizes = (1000,) if args.quick else (1000, 10000)
        results["marginal"] = marginal_batch(200, 1000, 1)
        results["batches"] = [batch(count, jobs) for count in sizes for jobs in (1, 2)]
        results["send"] = send_messages(1000)
    results["big_brief"] = big_brief()
    results["preview_reload"] = preview_reload()
    table = _table(results)
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (out / "latest.md").write_text(table + "\n", encoding="utf-8")
    print(f"\nsaved {out / 'latest.json'}")


if __name__ == "__main__":
    main()
