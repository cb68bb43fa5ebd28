"""The `releve` command: parses the command line, runs one subcommand, turns errors into exit codes.

Startup must stay cheap (`releve --version` under 100 ms cold): this module imports only
the standard library; each subcommand lives in `tui/cli/<name>.py` and is imported
only when it runs. A command module defines ``HELP`` (one line), ``add_arguments(parser)``
and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys

from releve.tui import __version__

#: Subcommands in the order `releve --help` lists them: name -> module.
COMMANDS: dict[str, str] = {
    "edit": "releve.tui.cli.edit",
    "new": "releve.tui.cli.new",
    "check": "releve.tui.cli.check",
    "schedule": "releve.tui.cli.schedule",
    "log": "releve.tui.cli.log",
    "report": "releve.tui.cli.report",
    "history": "releve.tui.cli.history",
    "diff": "releve.tui.cli.diff",
    "portfolio": "releve.tui.cli.portfolio",
    "rules": "releve.tui.cli.rules",
    "verify": "releve.tui.cli.verify",
    "schema": "releve.tui.cli.schema",
}

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: Options of the app that `releve` takes without the `edit` command.
APP_OPTIONS = ("--lang", "--as-of")


def engine_name() -> str:
    """The rule evaluator `check` will use, found without importing it (cheap).

    Mirrors rules.pipeline.engine_name: RELEVE_ENGINE=python forces the plain-Python one."""
    import os

    if os.environ.get("RELEVE_ENGINE", "").strip().lower() == "python":
        return "python evaluator"
    if sys.version_info < (3, 13) and importlib.util.find_spec("durable") is not None:
        return "durable_rules"
    return "python evaluator"


def _available_commands() -> dict[str, str]:
    return {
        name: mod for name, mod in COMMANDS.items() if importlib.util.find_spec(mod) is not None
    }


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size().columns`` gives it (``COLUMNS``,
    else the width of the terminal on stdout, else 80), without importing shutil: argparse
    asks for it for every option it adds, and shutil brings bz2, lzma and zlib."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 80
    return columns


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, measured by `terminal_columns`."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = terminal_columns() - 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one line, no usage dump, on a wrong command line (and
    lays out its help with `_Formatter`, it and its subcommands' parsers)."""

    def __init__(self, *args, **kwargs) -> None:  # ArgumentParser's (no `typing` at startup)
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(EXIT_ERROR)


class _TopFormatter(_Formatter):
    """Python 3.11's argparse measures command names before indenting them, so the longest
    (`portfolio`) got its help on a line of its own: leave room for it."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog)
        self._action_max_length = max(self._action_max_length, 4 + max(map(len, COMMANDS)))


def _top_parser(commands: dict[str, str], *, describe: bool) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="releve",
        formatter_class=_TopFormatter,
        description=(
            "Plan and check outsourced-COO missions. With no command, opens the app on "
            "the bundled sample mission."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"releve {__version__} (rule engine: {engine_name()})",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, modname in commands.items():
        helptext = _module(modname).HELP if describe else None
        sub.add_parser(name, help=helptext, add_help=False)
    return parser


def _module(modname: str):
    return importlib.import_module(modname)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is None:  # started with stdout closed (`releve ... >&-`)
        if sys.stderr is not None:
            sys.stderr.write("releve: standard output is closed; nothing can be printed\n")
        return EXIT_ERROR
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        sys.stderr.write("releve: interrupted\n")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _installed(name: str) -> bool:
    """The command's module is there (a minimal install may leave the app out)."""
    return name in COMMANDS and importlib.util.find_spec(COMMANDS[name]) is not None


def _dispatch(argv: list[str]) -> int:
    if argv[:1] == ["--version"]:
        print(f"releve {__version__} (rule engine: {engine_name()})")
        return EXIT_OK
    # `releve`, `releve --lang fr`, `releve --as-of DATE`: the app on the bundled sample.
    if (not argv or argv[0].split("=")[0] in APP_OPTIONS) and _installed("edit"):
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            sys.stderr.write(
                "releve: the app needs a terminal; in scripts use a command "
                "(releve check, schedule, report; see `releve --help`)\n"
            )
            return EXIT_ERROR
        return _run(COMMANDS, "edit", argv)
    # One command runs: only its module is looked for (and imported).
    if argv and _installed(argv[0]):
        return _run(COMMANDS, argv[0], argv[1:])
    commands = _available_commands()
    # Unknown command, or top-level options only: let argparse say so (help, errors).
    parser = _top_parser(commands, describe=True)
    try:
        parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    parser.print_help()
    return EXIT_OK


def _run(commands: dict[str, str], name: str, rest: list[str]) -> int:
    from releve.planner.errors import LocatedError, clip
    from releve.tui.safe_text import visible

    mod = _module(commands[name])
    parser = _Parser(prog=f"releve {name}", description=getattr(mod, "DESCRIPTION", mod.HELP))
    mod.add_arguments(parser)
    try:
        args = parser.parse_args(rest)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(mod.run(args))
    except LocatedError as err:
        # a pack path or a key may hold control characters: shown, never sent raw
        sys.stderr.write(f"{visible(str(err), keep=chr(10))}\n")
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`| head`, closed stdout): not an error of ours.
        _silence_stdout()
        return EXIT_OK
    except OSError as err:
        where = f"{clip(str(err.filename), 200)}: " if getattr(err, "filename", None) else ""
        sys.stderr.write(visible(f"{where}{err.strerror or err}") + "\n")
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
