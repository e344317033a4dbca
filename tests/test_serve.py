"""`serve`: the preview's pages, downloads and errors, and (slow) a real browser reloading after a save."""

from __future__ import annotations

import argparse
import asyncio
import http.client
import io
import json
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from asgi import CountingBuilder, Saves, Stream, get, running
from conftest import AUDIENCES, DEFAULT_DATA, ROOT
from processes import wait_until
from pypdf import PdfReader
from starlette.testclient import TestClient

from briefs.commands import serve
from briefs.preview import Builder, make_app
from briefs.preview import app as app_module

DATA_ID = "us-japan-critical-minerals-2025"
TITLE = "U.S.–Japan Critical Minerals and Rare Earths Framework"
ADDRESS = ("127.0.0.1", 8000)
"""Where the application under test believes it listens."""
HOME = "http://127.0.0.1:8000"


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with the default data file in data/, as a user has after `new`."""
    (tmp_path / "data").mkdir()
    shutil.copy(DEFAULT_DATA, tmp_path / "data" / DEFAULT_DATA.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    builder = Builder(serve.request_from(_args()))
    with TestClient(make_app(builder, builder.build(), ADDRESS), base_url=HOME) as test_client:
        yield test_client


def test_the_index_links_every_audiences_page_and_downloads(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for audience in AUDIENCES:
        assert f'href="/{DATA_ID}/{audience}.html"' in page.text
        assert f'href="/{DATA_ID}/{audience}.docx"' in page.text and f'href="/{DATA_ID}/{audience}.pdf"' in page.text


def test_a_page_is_the_html_brief_with_a_reload_script_added(client: TestClient) -> None:
    page = client.get(f"/{DATA_ID}/investor.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="en-GB"' in page.text and TITLE in page.text
    assert page.text.count("<script>") == 1 and 'new EventSource("/events")' in page.text


def test_downloads_are_the_current_docx_and_pdf(client: TestClient) -> None:
    pdf = client.get(f"/{DATA_ID}/policymaker.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert f'filename="{DATA_ID}-policymaker.pdf"' in pdf.headers["content-disposition"]
    assert "Policymakers" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    word = client.get(f"/{DATA_ID}/policymaker.docx")
    assert docx.Document(io.BytesIO(word.content)).core_properties.title == TITLE


def test_an_unknown_brief_is_a_404_page(client: TestClient) -> None:
    for path in (f"/{DATA_ID}/investors.html", f"/{DATA_ID}/investor.exe", "/no-such-topic/investor.html"):
        assert client.get(path).status_code == 404


def test_a_broken_input_shows_its_errors_on_every_page_and_a_good_one_brings_the_briefs_back(project: Path) -> None:
    data = project / "data" / DEFAULT_DATA.name
    text = data.read_text(encoding="utf-8")
    builder = Builder(serve.request_from(_args()))
    data.write_text(text.replace("as_of: 2025-11-15", "as_of: 2025-13-45"), encoding="utf-8")
    broken = builder.build()
    assert broken.errors and not broken.pages
    with TestClient(make_app(builder, broken, ADDRESS), base_url=HOME) as test_client:
        for path in ("/", f"/{DATA_ID}/investor.html"):
            page = test_client.get(path)
            assert page.status_code == 500
            assert f"data/{DEFAULT_DATA.name}:" in page.text and "as_of" in page.text
            assert 'new EventSource("/events")' in page.text  # so the next good save reloads it
    data.write_text(text, encoding="utf-8")
    assert builder.build().pages


def test_a_port_in_use_is_one_clear_line(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "generate.py"), "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: port {port} on 127.0.0.1 is in use: stop what uses it, or choose another with --port"


# --- in a real browser --------------------------------------------------------------------------

@pytest.fixture
def server(project: Path) -> Iterator[str]:
    """Start `serve` on a free port; yield its address; stop it with Ctrl-C (SIGINT) and check it stopped cleanly."""
    process = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("serving the briefs on http://127.0.0.1:"), line + process.stderr.read() if process.stderr else ""
    try:
        yield line.split()[4]
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
        assert "Traceback" not in err, err
        assert process.returncode == 0 and err.rstrip().endswith("stopped"), err


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not shutil.which("chromedriver") or not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.fail("the browser tests need Debian's chromium and chromium-driver (see the README's test set-up)")
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1000,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


def _wait(condition: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():  # type: ignore[operator]
                return
        except Exception:  # the page is reloading under us
            pass
        time.sleep(0.1)
    raise AssertionError("the browser did not get there in time")


@pytest.mark.slow
def test_a_saved_edit_reloads_the_page_where_the_reader_was_and_a_broken_save_shows_the_error(
        server: str, browser: object, project: Path) -> None:
    from selenium.webdriver.common.by import By

    driver = browser
    driver.get(server)  # type: ignore[attr-defined]
    driver.find_element(By.LINK_TEXT, "Policymakers").click()  # type: ignore[attr-defined]
    _wait(lambda: driver.find_element(By.TAG_NAME, "h1").text.startswith("U.S.–Japan"))  # type: ignore[attr-defined]
    driver.execute_script("window.scrollTo(0, 1200)")  # type: ignore[attr-defined]
    _wait(lambda: driver.execute_script("return window.scrollY") == 1200)  # type: ignore[attr-defined]
    data = project / "data" / DEFAULT_DATA.name
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace(f"title: {TITLE}", "title: Critical Minerals, Second Edition"), encoding="utf-8")
    _wait(lambda: driver.find_element(By.TAG_NAME, "h1").text == "Critical Minerals, Second Edition")  # type: ignore[attr-defined]
    _wait(lambda: abs(driver.execute_script("return window.scrollY") - 1200) < 5)  # type: ignore[attr-defined]

    data.write_text(text.replace("as_of: 2025-11-15", "as_of: 2025-13-45"), encoding="utf-8")
    _wait(lambda: "cannot be built" in driver.find_element(By.TAG_NAME, "h1").text)  # type: ignore[attr-defined]
    alert = driver.find_element(By.CSS_SELECTOR, "[role=alert]").text  # type: ignore[attr-defined]
    assert f"data/{DEFAULT_DATA.name}:" in alert and "as_of" in alert

    data.write_text(text, encoding="utf-8")
    _wait(lambda: driver.find_element(By.TAG_NAME, "h1").text == TITLE)  # type: ignore[attr-defined]
    _wait(lambda: abs(driver.execute_script("return window.scrollY") - 1200) < 5)  # type: ignore[attr-defined]  # back in place


def test_an_unknown_audience_on_the_command_line_stops_serve_at_once(cli, project: Path) -> None:
    result = cli("serve", "-a", "investors", "--port", "0")
    assert result.code == 1 and "unknown audience 'investors'; did you mean 'investor'?" in result.err


# --- event streams, driven over ASGI ------------------------------------------------------------

@pytest.fixture
def saves(monkeypatch: pytest.MonkeyPatch) -> Saves:
    """Saves the test makes by hand, in place of the file watcher."""
    fake = Saves()
    monkeypatch.setattr(app_module, "changes", fake.changes)
    monkeypatch.setattr(app_module, "watched", lambda args, build: None)
    return fake


def test_tabs_reloading_while_saves_arrive_never_stop_later_builds_reaching_a_new_tab(saves: Saves) -> None:
    async def scenario() -> None:
        builder = CountingBuilder()
        app = make_app(builder, builder.build(), ADDRESS)  # type: ignore[arg-type]
        async with running(app):
            for round_ in range(12):
                tabs = [Stream(app) for _ in range(4)]
                for tab in tabs:
                    await tab.build_number()
                saves.save()
                for delay, tab in enumerate(tabs):  # reloads landing before, during and after the announcement
                    await asyncio.sleep(delay * 0.0005 * (round_ % 4))
                    await tab.cancel()
                await asyncio.sleep(0.01)
            last = builder.count
            fresh = Stream(app)
            assert await fresh.build_number() == last
            saves.save()
            assert await fresh.build_number() == last + 1
            await fresh.cancel()

    asyncio.run(scenario())


async def _status(app: Callable[..., Any]) -> dict[str, Any]:
    code, body = await get(app, "/status.json")
    assert code == 200
    result: dict[str, Any] = json.loads(body)
    return result


def test_a_build_that_raises_shows_its_error_and_the_next_good_save_brings_the_briefs_back(
        project: Path, saves: Saves, capsys: pytest.CaptureFixture[str]) -> None:
    template = project / "tpl" / "brief.html.j2"
    template.parent.mkdir()
    template.write_text('{% extends "builtin/brief.html.j2" %}', encoding="utf-8")
    builder = Builder(serve.request_from(_args("--templates", "tpl", "-a", "investor")))
    app = make_app(builder, builder.build(), ADDRESS)

    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        async with running(app):
            tab = Stream(app)
            assert await tab.build_number() == 1
            template.write_text("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", encoding="utf-8")
            saves.save()
            assert await tab.build_number(20) == 2
            broken = await _status(app)
            template.write_text('{% extends "builtin/brief.html.j2" %}', encoding="utf-8")
            saves.save()
            assert await tab.build_number(20) == 3
            await tab.cancel()
            return broken, await _status(app)

    broken, fixed = asyncio.run(scenario())
    assert broken["briefs"] == [] and broken["errors"]
    assert fixed["errors"] == [] and fixed["briefs"] == [f"{DATA_ID}/investor"]


def test_the_watcher_outlives_an_error_of_its_own_and_rebuilds_the_next_save(
        saves: Saves, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(app_module, "_RETRY_SECONDS", 0.01, raising=False)

    async def scenario() -> None:
        builder = CountingBuilder()
        app = make_app(builder, builder.build(), ADDRESS)  # type: ignore[arg-type]
        async with running(app):
            tab = Stream(app)
            assert await tab.build_number() == 1
            saves.fail = PermissionError(13, "Permission denied", "data/locked")
            saves.save()
            assert await tab.build_number() == 2  # the build that catches up on saves made while the watcher was down
            saves.save()
            assert await tab.build_number() == 3
            await tab.cancel()

    asyncio.run(scenario())
    assert "PermissionError" in capsys.readouterr().err


# --- the real server, several tabs reloading while saves arrive ----------------------------------

def _tab_reloading(port: int, done: threading.Event, seen: list[int]) -> None:
    """Open the event stream, read the announced build, drop the connection at once or a moment later; again."""
    while not done.is_set():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/events")
            response = connection.getresponse()
            while not (line := response.fp.readline()).startswith(b"data: "):
                assert line, "the event stream ended before announcing a build"
            seen.append(int(line.removeprefix(b"data: ")))
            time.sleep(random.choice((0, 0.001, 0.01, 0.1)))
        finally:
            connection.close()


def _build_number(port: int) -> int:
    number: int = _served_status(port)["build"]
    return number


def _served_status(port: int) -> dict[str, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/status.json")
        status: dict[str, Any] = json.loads(connection.getresponse().read())
        return status
    finally:
        connection.close()


def _stopped(process: subprocess.Popen[str], seconds: float = 15) -> str:
    """Return what the server said on standard error once it stopped; kill it if it does not stop in time."""
    try:
        return process.communicate(timeout=seconds)[1]
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"the server did not stop within {seconds:g} s: {process.communicate()[1]}") from None


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_server_rebuilds_every_save_while_tabs_reload_and_then_stops_on_a_signal(
        project: Path, stop: signal.Signals) -> None:
    process = subprocess.Popen([sys.executable, str(ROOT / "generate.py"), "serve", "--port", "0", "-a", "investor"],
                               cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    port = int(process.stdout.readline().split(":")[-1].split("/")[0])
    done, seen = threading.Event(), [list[int]() for _ in range(4)]
    tabs = [threading.Thread(target=_tab_reloading, args=(port, done, numbers)) for numbers in seen]
    data = project / "data" / DEFAULT_DATA.name
    text = data.read_text(encoding="utf-8")
    try:
        _build_number(port)
        wait_until(lambda: _served_status(port)["watching"], 30, "the file watcher never started")  # a save before it is not seen
        for tab in tabs:
            tab.start()
        for save in range(1, 9):
            data.write_text(text.replace(f"title: {TITLE}", f"title: Edition {save}"), encoding="utf-8")
            deadline = time.monotonic() + 30
            while _build_number(port) != save + 1:
                assert time.monotonic() < deadline, f"save {save} was not rebuilt"
                time.sleep(0.05)
        deadline = time.monotonic() + 10
        while not all(numbers and numbers[-1] == 9 for numbers in seen):  # every tab has seen the last build
            assert time.monotonic() < deadline, f"the tabs did not see the last build: {seen}"
            time.sleep(0.05)
    finally:
        done.set()
        for tab in tabs:
            tab.join(15)
        started = time.monotonic()
        process.send_signal(stop)
        err = _stopped(process)
    assert time.monotonic() - started < 5, err
    assert process.returncode == 0 and err.rstrip().endswith("stopped") and "Traceback" not in err, err
    assert all(numbers and numbers[-1] == 9 for numbers in seen), seen


# --- who may ask --------------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["rebind.attacker.test:8000", "127.0.0.1:8001", "localhost", "127.0.0.1.attacker.test:8000", ""])
def test_a_request_naming_another_host_is_refused_so_a_rebound_name_reads_nothing(client: TestClient, host: str) -> None:
    for path in ("/status.json", f"/{DATA_ID}/investor.html", f"/{DATA_ID}/investor.pdf", "/"):
        answer = client.get(path, headers={"host": host})
        assert answer.status_code == 403 and DATA_ID not in answer.text and "refused" in answer.text


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST:8000", "[::1]:8000"])
def test_the_loopback_names_with_the_port_are_answered(client: TestClient, host: str) -> None:
    assert client.get("/status.json", headers={"host": host}).json()["briefs"]


def test_the_address_given_with_host_is_answered_too(project: Path) -> None:
    builder = Builder(serve.request_from(_args("-a", "investor")))
    with TestClient(make_app(builder, builder.build(), ("192.168.1.20", 8080)), base_url="http://192.168.1.20:8080") as lan:
        assert lan.get("/status.json").status_code == 200
        assert lan.get("/status.json", headers={"host": "evil.test:8080"}).status_code == 403


@pytest.mark.parametrize("headers", [
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},  # another server on this computer
    {"origin": "http://attacker.test"},
    {"origin": "http://127.0.0.1:8001"},
    {"origin": "null"},
])
def test_a_request_from_another_sites_page_is_refused(client: TestClient, headers: dict[str, str]) -> None:
    for path in (f"/{DATA_ID}/investor.pdf", f"/{DATA_ID}/investor.docx", "/status.json", "/events"):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 403 and not answer.content.startswith(b"%PDF")


@pytest.mark.parametrize("headers", [{}, {"sec-fetch-site": "none"}, {"sec-fetch-site": "same-origin", "origin": HOME}])
def test_the_previews_own_pages_and_a_typed_address_are_answered(client: TestClient, headers: dict[str, str]) -> None:
    assert client.get(f"/{DATA_ID}/investor.pdf", headers=headers).content.startswith(b"%PDF")


def test_error_pages_and_status_show_paths_relative_to_the_working_directory(project: Path) -> None:
    (project / "empty").mkdir()
    builder = Builder(serve.request_from(_args("--data", str(project / "empty"))))
    with TestClient(make_app(builder, builder.build(), ADDRESS), base_url=HOME) as test_client:
        page, status = test_client.get("/"), test_client.get("/status.json").json()
    assert page.status_code == 500 and status["errors"][0].startswith("empty: no data file")
    assert str(project) not in page.text and str(project) not in json.dumps(status)


def test_the_watcher_says_when_it_watches_so_no_save_is_missed(tmp_path: Path) -> None:
    from briefs.preview.watching import Watched, changes

    async def first_change() -> tuple[list[float], set[Path]]:
        ready: list[float] = []
        stream = changes(Watched((tmp_path,), ()), ready=lambda: ready.append(time.monotonic()))
        waiting = asyncio.ensure_future(anext(stream))
        while not ready:  # a save made from here on is seen
            await asyncio.sleep(0.01)
        (tmp_path / "topic.yaml").write_text("id: x\n", encoding="utf-8")
        async with asyncio.timeout(10):
            changed = await waiting
        await stream.aclose()
        return ready, changed

    ready, changed = asyncio.run(first_change())
    assert len(ready) == 1
    assert changed == {(tmp_path / "topic.yaml").resolve()} or changed == {tmp_path / "topic.yaml"}
