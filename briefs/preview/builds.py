"""One build of the preview: the inputs loaded and checked, every brief laid out, its HTML written.

A build is made in full or not at all: an input that `check` rejects gives a build holding only
the error lines (file:line: message), which the server shows in place of every page until the
next good save. So does anything else a build raises (a bug, or a failure no check foresaw): one
line naming the exception on the page, its traceback kept for standard error. DOCX and PDF
downloads are rendered on request from the build's laid-out documents, so a build costs what the
HTML costs.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Settings
from ..errors import BriefsError, InvalidInput
from ..locations import data_paths
from ..pipeline import Inputs, LaidOut, lay_out, load_inputs, render, style_for
from ..writers import page_format

__all__ = ["Build", "Builder", "Request", "relative_paths"]


@dataclass(frozen=True)
class Request:
    """What the preview shows, as the user asked for it: the settings are read again at every build."""

    settings: Callable[[], Settings]
    """Return the settings of the moment (the config file and the folders it names may change while the server runs)."""
    data: tuple[Path, ...] = ()
    """The data files and folders named (none: ./data/ or the built-in data)."""
    audiences: tuple[str, ...] = ()
    """The audiences shown (none: every audience)."""
    named: tuple[Path, ...] = ()
    """Template folders, theme, reference document and config file named when the server started: watched."""
    max_pages: int | None = None
    """A page budget for every brief shown (`--max-pages`); None: each profile's `max_pages`, if any."""
    language: str | None = None
    """The edition shown (`--language`): each data file's translation into it; None for the data as written."""


@dataclass(frozen=True)
class Build:
    """What the server shows, numbered so that a page knows whether it is current."""

    number: int
    briefs: dict[tuple[str, str], LaidOut] = field(default_factory=dict)
    """(data id, audience id) -> the laid-out brief."""
    pages: dict[tuple[str, str], bytes] = field(default_factory=dict)
    """(data id, audience id) -> its HTML page."""
    errors: tuple[str, ...] = ()
    """Why there is no brief: one line each, file:line: message."""
    settings: Settings | None = None
    inputs: Inputs | None = None
    seconds: float = 0.0
    trace: str = ""
    """The traceback of an error no check foresaw (a bug): printed on standard error for a bug report."""


def relative_paths(line: str) -> str:
    """Return `line` with every path inside the working directory made relative to it, and the home folder as ~."""
    for folder, shown in ((Path.cwd(), ""), (Path.home(), "~" + os.sep)):
        if folder != Path(folder.anchor):  # (a root working directory would strip every slash)
            line = line.replace(f"{folder}{os.sep}", shown)
    return line


class Builder:
    """Make builds of a request, reading every input again each time."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.count = 0

    def build(self) -> Build:
        """Load, check and lay out every brief, and write its HTML; never raise (the server must outlive any input)."""
        started = time.perf_counter()
        self.count += 1
        try:
            return self._build(started)
        except Exception as exc:  # a bug, or a failure no check foresaw: the page says so, the watcher goes on
            line = f"unexpected error (please report it with the traceback on the terminal): {type(exc).__name__}: {exc}"
            return self._failed([line], started, traceback.format_exc())

    def _build(self, started: float) -> Build:
        try:
            settings = self.request.settings()
            inputs = load_inputs(data_paths(list(self.request.data), Path.cwd()), settings.template_dirs, theme=settings.theme,
                                 reference_docx=settings.reference_docx, language=self.request.language)
            laid_out = lay_out(inputs, audiences=self.request.audiences, page_size=settings.page_size,
                               max_pages=self.request.max_pages)
            briefs = {(item.dataset.id, item.profile.id): item for item in laid_out}
            styles = {path: style_for(inputs.look, path, dataset, page_format(), settings.page_size) for path, dataset in inputs.datasets}
            pages = {key: render(item.document, page_format(), styles[item.path])[0] for key, item in briefs.items()}
        except InvalidInput as exc:
            summary = exc.summary.split(": nothing written")[0]  # (the command line's words; here the page waits for a save)
            return self._failed([*exc.lines, summary], started)
        except BriefsError as exc:
            return self._failed([str(exc)], started)
        return Build(self.count, briefs, pages, (), settings, inputs, time.perf_counter() - started)

    def _failed(self, lines: list[str], started: float, trace: str = "") -> Build:
        """Return a build of error lines, naming files relative to the working directory: the page may be seen by
        others (`--host`), who need not learn where the project lives."""
        return Build(self.count, errors=tuple(map(relative_paths, lines)), seconds=time.perf_counter() - started, trace=trace)

    @staticmethod
    def download(build: Build, key: tuple[str, str], fmt: str) -> bytes:
        """Render one brief of `build` in `fmt` (DOCX, PDF) for a download."""
        assert build.inputs is not None and build.settings is not None
        item = build.briefs[key]
        style = style_for(build.inputs.look, item.path, item.dataset, fmt, build.settings.page_size)
        return render(item.document, fmt, style)[0]
