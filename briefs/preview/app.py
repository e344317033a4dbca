"""The preview's web application (Starlette): index, brief pages, downloads, and reload events.

Each page carries the number of the build it shows and a small script that listens to
`/events` (server-sent events). When a newer build is announced, the page saves its scroll
position and reloads; the reloaded page scrolls back. A build that failed shows its errors in
place of every page, with the same script, so the next good save brings the brief back. The
briefs themselves hold no script: it is added here, for the preview only.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import sys
import traceback
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..writers import WRITERS, page_format
from .builds import Build, Builder
from .guard import Guard
from .watching import changes, watched

__all__ = ["Preview", "make_app", "report"]

_RELOAD = """<script>
(() => {
  const shown = %d, error = %s, key = "briefs-scroll:" + location.pathname;
  history.scrollRestoration = "manual";
  const saved = sessionStorage.getItem(key);
  if (saved !== null && !error) { sessionStorage.removeItem(key); window.scrollTo(0, Number(saved)); }
  const events = new EventSource("/events");
  events.addEventListener("build", (event) => {
    if (Number(event.data) !== shown) {
      if (!error) sessionStorage.setItem(key, String(window.scrollY));  // an error page keeps the brief's place
      events.close();
      location.reload();
    }
  });
})();
</script>"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title><style>
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #1a1a1a; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; }
h1 { color: #1f3864; font-size: 1.6rem; } h2 { color: #1f3864; font-size: 1.15rem; border-bottom: 1px solid #aab4c8; }
a { color: #0b4ea2; } table { border-collapse: collapse; } td, th { padding: .25rem .75rem .25rem 0; text-align: left; }
.errors { background: #fdf3e1; border-left: 4px solid #9c0006; padding: .75rem 1rem; }
.errors li { font-family: "DejaVu Sans Mono", monospace; font-size: .9rem; margin: .3rem 0; white-space: pre-wrap; }
.muted { color: #555; font-size: .9rem; }
</style></head><body><main>
%s
</main>%s</body></html>"""


_RETRY_SECONDS = 1.0
"""How long the watcher waits after an error of its own before watching again."""


class Preview:
    """The latest build, the event streams waiting for the next one, and the loop that rebuilds."""

    def __init__(self, builder: Builder, first: Build) -> None:
        self.builder = builder
        self.build = first
        self._waiting: set[asyncio.Event] = set()
        """One wake-up per open event stream: nothing is shared, so a stream cancelled mid-wait holds nothing."""
        self.watching = False
        """Whether the file watcher has started: a save made before it would not be seen (`/status.json` says)."""

    def publish(self, build: Build) -> None:
        """Make `build` the one shown, and wake every event stream."""
        self.build = build
        for woken in self._waiting:
            woken.set()

    async def rebuild(self) -> Build:
        """Make a new build (in a thread: loading and laying out is CPU work) and announce it."""
        build = await asyncio.to_thread(self.builder.build)
        self.publish(build)
        report(build)
        return build

    async def builds(self, stopping: Callable[[], bool]) -> AsyncIterator[int | None]:
        """Yield the current build's number, then each newer one's, and None after 15 s of quiet (so that a closed
        tab is noticed), until `stopping()` says the server is stopping (checked twice a second)."""
        woken, sent, quiet = asyncio.Event(), -1, 0
        self._waiting.add(woken)
        try:
            while not stopping():
                woken.clear()
                if self.build.number != sent:
                    sent, quiet = self.build.number, 0
                    yield sent
                elif quiet == 30:
                    quiet = 0
                    yield None
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.5):  # (not wait_for, which on 3.11 can swallow a cancellation)
                        await woken.wait()
                quiet += 1
        finally:
            self._waiting.discard(woken)

    async def watch(self) -> None:
        """Rebuild on every change to an input, for as long as the server runs.

        An error of the watcher itself is reported and watching starts again a second later, with a build that
        catches up on any save made meanwhile (a build's own errors never get here: they are its error page).
        """
        while True:
            try:
                await self._watch_until_inputs_move()
            except Exception:
                print(f"the file watcher failed, watching again in {_RETRY_SECONDS:g} s:", file=sys.stderr)
                traceback.print_exc()
                await asyncio.sleep(_RETRY_SECONDS)
                await self.rebuild()

    async def _watch_until_inputs_move(self) -> None:
        """Rebuild on changes until a build reads a new template folder, theme or logo, which needs a new watch."""
        watch = watched(self.builder.request, self.build)
        async for _ in changes(watch, ready=self._watching):
            build = await self.rebuild()
            if watched(self.builder.request, build) != watch:
                return


    def _watching(self) -> None:
        self.watching = True


def report(build: Build) -> None:
    """Say on standard error what a build made, or why it failed (the page says it too)."""
    if build.trace:
        print(build.trace, end="", file=sys.stderr)
    if build.errors:
        print(f"build {build.number}: {len(build.errors) - 1 or 1} error(s), shown in the browser:", file=sys.stderr)
        for line in build.errors:
            print(f"  {line}", file=sys.stderr)
    else:
        print(f"build {build.number}: {len(build.pages)} brief(s) in {build.seconds:.2f} s", file=sys.stderr)


def make_app(builder: Builder, first: Build, address: tuple[str, int], stopping: Callable[[], bool] = lambda: False
             ) -> Starlette:
    """Return the application serving `builder`'s briefs, starting from build `first`, to requests naming the
    (host, port) `address` it is bound to (see guard)."""
    preview: Preview | None = None

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        nonlocal preview
        preview = Preview(builder, first)
        task = asyncio.create_task(preview.watch())
        try:
            yield
        finally:
            task.cancel()

    def current() -> Preview:
        assert preview is not None, "the application has not started"
        return preview

    async def index(request: Request) -> Response:
        build = current().build
        if build.errors:
            return _errors(build)
        sections: dict[str, list[str]] = {}
        for (data_id, audience), item in sorted(build.briefs.items()):
            links = " · ".join(f'<a href="/{_q(data_id)}/{_q(audience)}.{fmt}" download>{fmt.upper()}</a>'
                               for fmt in WRITERS if fmt != page_format())
            rows = sections.setdefault(f"<h2>{html.escape(item.dataset.title)}</h2><p class=\"muted\">{html.escape(data_id)}, "
                                       f"as of {item.dataset.as_of.isoformat()}</p>", [])
            rows.append(f'<tr><th scope="row"><a href="/{_q(data_id)}/{_q(audience)}.{page_format()}">{html.escape(item.profile.label)}</a>'
                        f"</th><td>{links}</td></tr>")
        tables = "".join(f'{heading}<table><thead><tr><th scope="col">Audience</th><th scope="col">Download</th></tr></thead>'
                         f"<tbody>{''.join(rows)}</tbody></table>" for heading, rows in sections.items())
        body = (f"<h1>Briefs</h1><p class=\"muted\">Build {build.number}: pages reload when a data file, profile, "
                f"template or theme changes.</p>{tables}")
        return HTMLResponse(_PAGE % ("Briefs", body, _reload(build)))

    async def brief(request: Request) -> Response:
        build = current().build
        if build.errors:
            return _errors(build)
        data_id, name = request.path_params["data"], request.path_params["name"]
        audience, _, fmt = name.rpartition(".")
        key = (data_id, audience)
        if fmt not in WRITERS or key not in build.briefs:
            body = (f"<h1>No such brief</h1><p>{html.escape(request.url.path)} is not a brief of this preview. "
                    '<a href="/">All briefs</a></p>')
            return HTMLResponse(_PAGE % ("No such brief", body, _reload(build)), status_code=404)
        if fmt == page_format():
            page = build.pages[key].decode("utf-8")
            at = page.rfind("</body>")
            return HTMLResponse(page[:at] + _reload(build) + page[at:] if at >= 0 else page + _reload(build))
        data = await asyncio.to_thread(Builder.download, build, key, fmt)
        return Response(data, media_type=WRITERS[fmt].media_type,
                        headers={"Content-Disposition": f'attachment; filename="{data_id}-{audience}.{fmt}"',
                                 "Cache-Control": "no-store"})

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            async for number in current().builds(stopping):
                yield ": still here\n\n" if number is None else f"event: build\ndata: {number}\n\n"
                if await request.is_disconnected():
                    return

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    async def status(request: Request) -> Response:
        build = current().build
        return JSONResponse({"build": build.number, "briefs": sorted(f"{d}/{a}" for d, a in build.briefs),
                             "errors": list(build.errors), "seconds": round(build.seconds, 3), "watching": current().watching})

    return Starlette(routes=[
        Route("/", index),
        Route("/status.json", status),
        Route("/events", events),
        Route("/{data}/{name}", brief),
    ], middleware=[Middleware(Guard, host=address[0], port=address[1])], lifespan=lifespan)


def _reload(build: Build) -> str:
    return _RELOAD % (build.number, "true" if build.errors else "false")


def _errors(build: Build) -> Response:
    items = "".join(f"<li>{html.escape(line)}</li>" for line in build.errors)
    body = (f"<h1>The briefs cannot be built</h1><div class=\"errors\" role=\"alert\"><ul>{items}</ul></div>"
            f"<p class=\"muted\">Build {build.number}. Fix the file and save: this page reloads by itself.</p>")
    return HTMLResponse(_PAGE % ("Error: briefs cannot be built", body, _reload(build)), status_code=500)


def _q(text: str) -> str:
    from urllib.parse import quote

    return html.escape(quote(text, safe=""))

