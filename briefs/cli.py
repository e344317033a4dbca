"""The command line: a thin layer over one module per command (`briefs/commands/`).

Exit status: 0 success, 1 invalid input or a brief that failed, 2 usage error. Only the
commands print; this module turns a BriefsError into one line on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from . import __version__, collector
from .commands import batch, check, diff, explain, export, generate, impact, init, new, schema, send, serve
from .commands import list as list_command
from .errors import BriefsError, InvalidInput, one_line
from .invocation import program
from .pathguard import OUTPUT_ROOM, check_path, printable

__all__ = ["COMMANDS", "main", "main_exit"]

COMMANDS: dict[str, ModuleType] = {
    "generate": generate,
    "check": check,
    "explain": explain,
    "impact": impact,
    "diff": diff,
    "schema": schema,
    "batch": batch,
    "send": send,
    "serve": serve,
    "init": init,
    "new": new,
    "export": export,
    "list": list_command,
}
"""Subcommand name -> module with HELP, add_arguments(parser) and run(args)."""

DEFAULT_COMMAND = "generate"

_OUTPUT_OPTIONS = frozenset({"out", "dry_run"})
"""Options naming a folder a run writes files and folders into (room is kept for those under it)."""

_EPILOG = """\
examples:
  {prog:<20} all audiences, both formats, data/*.yaml -> out/
  {prog} new my-topic  start a topic: writes data/my-topic.yaml to edit (--xlsx: a workbook)
  {prog} -a investor -f pdf
  {prog} --data my.yaml --out dist/ --templates my-templates/
  {prog} check         validate everything; write nothing
  {prog} explain -a investor
                       why each fact is in or out

Run `{prog} COMMAND --help` for a command's options.
"""


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """Return the top-level parser and each command's own parser."""
    parser = argparse.ArgumentParser(
        prog="briefs",
        description="Generate audience-tailored DOCX and PDF briefs from a YAML data file.",
        epilog=_EPILOG.format(prog=program()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"briefs {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    subs = {}
    for name, module in COMMANDS.items():
        subs[name] = commands.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(subs[name])
    return parser, subs


def _check_paths(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Refuse, before the command starts, any path option the file system cannot take (see pathguard)."""
    for action in parser._actions:  # argparse lists a parser's options nowhere else
        value = getattr(args, action.dest, None)
        named_by = max(action.option_strings, key=len) if action.option_strings else str(action.metavar or action.dest)
        room = OUTPUT_ROOM if action.dest in _OUTPUT_OPTIONS else 0
        for path in value if isinstance(value, list | tuple) else [value]:
            if isinstance(path, Path):
                check_path(path, named_by, room)


def _full_help() -> str:
    """Return the top-level help followed by the default command's options, for newcomers."""
    parser = _parser()[0]
    default = argparse.ArgumentParser(prog="briefs [generate]", add_help=False)
    COMMANDS[DEFAULT_COMMAND].add_arguments(default)
    options = default.format_help().split("\n", 2)[-1]
    return parser.format_help() + "\noptions of the default command (generate):\n" + options.split("options:\n", 1)[-1]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    _printable_streams()
    collector.tune()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments in (["-h"], ["--help"]):
        print(_full_help())
        return 0
    if not arguments or (arguments[0] not in COMMANDS and arguments[0] not in ("-h", "--help", "--version")):
        arguments.insert(0, DEFAULT_COMMAND)
    parser, subs = _parser()
    args = parser.parse_args(arguments)
    previous = signal.signal(signal.SIGTERM, _terminate) if threading.current_thread() is threading.main_thread() else None
    try:
        _check_paths(args, subs[args.command])
        code: int = COMMANDS[args.command].run(args)
        return code
    except Terminated:
        print("terminated", file=sys.stderr)
        return 143
    except InvalidInput as exc:
        print("\n".join([*exc.lines, exc.summary]), file=sys.stderr)
        return 1
    except BriefsError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); that is not an error of ours.
        sys.stderr.close()
        return 0
    except OSError as exc:
        if exc.filename is None or isinstance(exc.filename, int):
            raise  # not about a file: a bug, which keeps its traceback
        # The file system refused a file no earlier check could foresee (permissions, a full or read-only disk).
        print(f"error: {printable(exc.filename)}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it stops as cleanly as on Ctrl-C (exit 143)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _printable_streams() -> None:
    """Let stdout and stderr print any file name, whatever the terminal's encoding (unprintable characters escaped)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def main_exit() -> None:
    """Entry point of the `briefs` console script."""
    sys.exit(main())
