"""The ``resilience`` command: list plugins and instruments, score answers, export and forget.

Commands::

    resilience plugins [--json]               what is loaded, and which plugins were skipped
    resilience instruments [--json]           every instrument: id, name, validated, citation
    resilience score INSTRUMENT [ITEM=VALUE ...] [--answers FILE.json]
    resilience export PERSON [--format jsonl|scores-csv|strengths-csv] [--output FILE]
                             [--store URL]
    resilience import FILE [--store URL] [--allow-unregistered]
    resilience forget PERSON --yes [--store URL]
    resilience forget --before DATE --yes [--store URL]   retention: erase older records
    resilience erasures [PERSON] [--store URL]           the erasure receipts, as JSON Lines

``--store`` defaults to ``$RESILIENCE_STORE``, then to the per-user SQLite database of
:func:`resilience.storage.default_store_url`. A file that ``export --output`` creates is
readable by its owner only (``0600``), like the store itself. Plugins load as for
``resilience.Engine()``: ``RESILIENCE_PLUGINS`` and ``RESILIENCE_DISABLE_PLUGINS`` decide
which installed ones do.

A broken plugin never makes the command unusable: ``--help`` builds no engine at all, and
a plugin that fails to load is reported (``warning: …`` on stderr) and skipped. Errors
from the library print one line on stderr, without a traceback, and exit with status 2.

Example:
    >>> import resilience.cli
    >>> resilience.cli.main(["score", "ucla-3", "ucla-1=1", "ucla-2=2", "ucla-3=1"])
    ... # doctest: +ELLIPSIS
    {
      "schema_version": 2,
      "instrument_id": "ucla-3",
      ...
    0
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import textwrap
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from resilience.engine import Engine

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_ERROR = 2

_FORMATS = ("jsonl", "scores-csv", "strengths-csv")


class _CommandError(Exception):
    """A problem with what the user asked for: one line on stderr, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``resilience`` command (it loads nothing).

    Example:
        >>> build_parser().parse_args(["plugins", "--json"]).json
        True
    """
    from resilience._version import __version__

    parser = argparse.ArgumentParser(
        prog="resilience",
        description=(
            "Score questionnaires on connection and resilience, list what plugins add, "
            "and export or erase stored records (with erasure receipts)."
        ),
        epilog=(
            "Installed plugins load unless RESILIENCE_PLUGINS (allow-list) or "
            "RESILIENCE_DISABLE_PLUGINS (block-list) say otherwise; names are "
            "comma-separated entry-point or distribution names."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    plugins = commands.add_parser(
        "plugins", help="list loaded plugins and the plugins that were skipped"
    )
    plugins.add_argument("--json", action="store_true", help="print JSON")
    plugins.set_defaults(handler=_plugins)

    instruments = commands.add_parser("instruments", help="list the registered instruments")
    instruments.add_argument("--json", action="store_true", help="print JSON")
    instruments.set_defaults(handler=_instruments)

    score = commands.add_parser(
        "score",
        help="score one set of answers and print the score as JSON",
        description=(
            "Score answers to one instrument. Give answers as ITEM=VALUE pairs, in a JSON "
            "file of {item: value} (--answers FILE, '-' for stdin), or both (pairs win). "
            "An empty VALUE marks the item as unanswered."
        ),
    )
    score.add_argument("instrument", metavar="INSTRUMENT", help="an instrument id, e.g. ucla-3")
    score.add_argument("pairs", nargs="*", metavar="ITEM=VALUE", help="one answer")
    score.add_argument("--answers", metavar="FILE", help="a JSON object of item id to value")
    score.set_defaults(handler=_score)

    store_help = "store URL or path (default: $RESILIENCE_STORE, else the per-user SQLite file)"
    export = commands.add_parser(
        "export",
        help="print every stored record of one person as JSON Lines, or their scores as CSV",
        description=(
            "Export one person's records. jsonl (the default) is every record, which "
            "'resilience import' reads back; scores-csv is one row per profile and "
            "instrument (total, band, subscales, missing items); strengths-csv is one row "
            "per pillar and capacity of each profile. CSV rows are oldest first."
        ),
    )
    export.add_argument("person", metavar="PERSON", help="the person id")
    export.add_argument(
        "--format",
        "-f",
        choices=_FORMATS,
        default="jsonl",
        help="what to write (default: jsonl)",
    )
    export.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write to FILE instead of stdout (a new file is readable by its owner only)",
    )
    export.add_argument("--store", metavar="URL", help=store_help)
    export.set_defaults(handler=_export)

    import_ = commands.add_parser(
        "import", help="store the records of a JSON Lines export (all or nothing)"
    )
    import_.add_argument("file", metavar="FILE", help="a .jsonl file ('-' for stdin)")
    import_.add_argument("--store", metavar="URL", help=store_help)
    import_.add_argument(
        "--allow-unregistered",
        action="store_true",
        help="also store answers to instruments no loaded plugin registers (marked unchecked)",
    )
    import_.set_defaults(handler=_import)

    forget = commands.add_parser(
        "forget",
        help="erase every stored record of one person, or everyone's older records",
        description=(
            "Erase every stored record of PERSON, or with --before DATE every record "
            "(of everyone) whose own time is before DATE, for a retention policy. Each "
            "erasure writes a receipt (see 'resilience erasures') that holds counts and a "
            "salted hash of the person id, nothing of the records."
        ),
    )
    forget.add_argument("person", metavar="PERSON", nargs="?", help="the person id")
    forget.add_argument(
        "--before",
        metavar="DATE",
        help="erase every record before DATE (YYYY-MM-DD, midnight UTC, or an ISO 8601 "
        "date-time with its offset) instead of one person's",
    )
    forget.add_argument("--yes", action="store_true", help="confirm the erasure (required)")
    forget.add_argument("--store", metavar="URL", help=store_help)
    forget.set_defaults(handler=_forget)

    erasures = commands.add_parser(
        "erasures",
        help="print the erasure receipts as JSON Lines (only PERSON's if given)",
    )
    erasures.add_argument("person", metavar="PERSON", nargs="?", help="only this person's")
    erasures.add_argument("--store", metavar="URL", help=store_help)
    erasures.set_defaults(handler=_erasures)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``resilience`` command and return its exit status.

    Args:
        argv: The arguments (``sys.argv[1:]`` by default).

    Example:
        >>> main(["instruments"])  # doctest: +ELLIPSIS
        brs ...
        0
    """
    parser = build_parser()
    # --help and usage errors exit here, before any engine is built.
    args, extra = parser.parse_known_args(argv)
    if args.command == "score":
        # ITEM=VALUE pairs may also follow --answers FILE.
        args.pairs += [arg for arg in extra if "=" in arg and not arg.startswith("-")]
        extra = [arg for arg in extra if arg not in args.pairs]
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    from resilience.errors import ResilienceError

    try:
        return handler(args, sys.stdout)
    except (ResilienceError, _CommandError) as error:
        _error(str(error))
    except BrokenPipeError:
        # The reader went away (``resilience plugins | head``): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as error:
        _error(f"{error.strerror or error}: {error.filename}" if error.filename else str(error))
    return EXIT_ERROR


def _error(message: str) -> None:
    first, *rest = message.splitlines() or [""]
    print(f"resilience: error: {first}", file=sys.stderr)
    for line in rest:
        print(f"  {line}", file=sys.stderr)


def _engine(*, store: str | None = None, report: bool = True) -> Engine:
    from resilience.engine import Engine
    from resilience.plugins import PluginWarning

    with warnings.catch_warnings():
        # Problems are printed below as one tidy line each, not as Python warnings.
        warnings.simplefilter("ignore", PluginWarning)
        engine = Engine(store=store)
    if report:
        for problem in engine.plugin_problems:
            print(f"resilience: warning: {problem}", file=sys.stderr)
    return engine


def _store_url(args: argparse.Namespace) -> str:
    if args.store:
        return str(args.store)
    # Imported here: only the commands that use a store pay for the storage package.
    from resilience.storage import default_store_url

    return default_store_url()  # $RESILIENCE_STORE, else the per-user SQLite file


# -- commands ----------------------------------------------------------------------------


def _plugins(args: argparse.Namespace, out: TextIO) -> int:
    engine = _engine(report=False)
    infos = engine.plugins()
    problems = engine.plugin_problems
    if args.json:
        data = {
            "plugins": [engine.converter.unstructure(info) for info in infos],
            "problems": [engine.converter.unstructure(problem) for problem in problems],
        }
        print(json.dumps(data, indent=2), file=out)
        return EXIT_OK
    for info in infos:
        if info.builtin:
            origin = "built-in"
        elif info.distribution:
            origin = f"{info.distribution} {info.version or ''}".strip()
        else:
            origin = "passed to the engine"
        print(f"{info.name} ({origin})", file=out)
        for kind, ids in info.registered.items():
            text = textwrap.fill(
                ", ".join(ids),
                width=100,
                initial_indent=f"    {kind}: ",
                subsequent_indent=" " * 8,
                break_on_hyphens=False,
            )
            print(text, file=out)
        other = [h for h in info.hooks if not h.startswith("resilience_register_")]
        if other:
            print(f"    hooks: {', '.join(other)}", file=out)
    if problems:
        print(f"\n{len(problems)} plugin(s) skipped:", file=out)
        for problem in problems:
            print(f"    {problem}", file=out)
    return EXIT_OK


def _instruments(args: argparse.Namespace, out: TextIO) -> int:
    engine = _engine()
    instruments = sorted(engine.instruments.values(), key=lambda i: i.id)
    if args.json:
        data = [
            {
                "id": inst.id,
                "name": inst.name,
                "version": inst.version,
                "validated": inst.validated,
                "items": len(inst.items),
                "citation": inst.citation.text if inst.citation else None,
                "doi": inst.citation.doi if inst.citation else None,
            }
            for inst in instruments
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    width = max((len(inst.id) for inst in instruments), default=0)
    for inst in instruments:
        kind = "validated" if inst.validated else "checklist"
        line = f"{inst.id:<{width}}  {kind:<9}  {inst.name}"
        if inst.citation:
            line += f" — {inst.citation.text}"
        print(line, file=out)
    return EXIT_OK


def _value(text: str) -> Any:
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text  # the scorer names it as a value of the wrong type


def _score(args: argparse.Namespace, out: TextIO) -> int:
    answers: dict[str, Any] = {}
    if args.answers:
        answers.update(_read_answers(args.answers))
    for pair in args.pairs:
        item, sep, value = pair.partition("=")
        if not sep or not item:
            raise _CommandError(f"expected ITEM=VALUE, got {pair!r}")
        answers[item] = _value(value)
    engine = _engine()
    score = engine.score(args.instrument, answers)
    print(engine.to_json(score, indent=2), file=out)
    return EXIT_OK


def _read_text(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    return Path(name).read_text(encoding="utf-8")


def _read_answers(name: str) -> dict[str, Any]:
    try:
        data = json.loads(_read_text(name))
    except json.JSONDecodeError as error:
        raise _CommandError(f"{name} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise _CommandError(
            f"{name} must hold a JSON object of item id to value, not {type(data).__name__}"
        )
    return data


def _export(args: argparse.Namespace, out: TextIO) -> int:
    with _engine(store=_store_url(args)) as engine:
        if args.format == "jsonl":
            lines = engine.store.export(args.person)
            text, count, what = "".join(lines), len(lines), "record(s)"
        else:
            from resilience.export import scores_csv, strengths_csv

            profiles = engine.store.history(args.person, "profile")[::-1]  # oldest first
            write = scores_csv if args.format == "scores-csv" else strengths_csv
            text, count, what = write(profiles), len(profiles), "profile(s)"
    if args.output:
        with _private_file(args.output) as file:
            file.write(text)
        print(
            f"exported {count} {what} of {args.person!r} as {args.format} to {args.output}",
            file=sys.stderr,
        )
    else:
        out.write(text)
    return EXIT_OK


def _private_file(name: str) -> TextIO:
    """Open ``name`` for writing text; a new file is created readable by its owner only.

    An export holds a person's answers, so it gets the store's own privacy: mode ``0600``
    whatever the umask (an existing file keeps its mode). ``newline=""`` leaves the CSV
    line ends exactly as written.
    """
    flags = os.O_CREAT | os.O_TRUNC | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    descriptor = os.open(name, flags, 0o600)
    try:
        return os.fdopen(descriptor, "w", encoding="utf-8", newline="")
    except BaseException:
        os.close(descriptor)
        raise


def _import(args: argparse.Namespace, out: TextIO) -> int:
    text = _read_text(args.file)
    with _engine(store=_store_url(args)) as engine:
        added = engine.import_records(text, allow_unregistered=args.allow_unregistered)
    print(f"imported {added} new record(s)", file=out)
    return EXIT_OK


def _cutoff(text: str) -> dt.datetime | dt.date:
    from resilience.serialization import parse_datetime

    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = parse_datetime(text)
    except ValueError:
        raise _CommandError(
            f"--before takes a date (YYYY-MM-DD) or an ISO 8601 date-time, not {text!r}"
        ) from None
    if moment.utcoffset() is None:
        raise _CommandError(f"--before {text!r} has no UTC offset; add one, e.g. +00:00")
    return moment


def _forget(args: argparse.Namespace, out: TextIO) -> int:
    if (args.person is None) == (args.before is None):
        raise _CommandError("give either PERSON or --before DATE")
    cutoff = None if args.before is None else _cutoff(args.before)
    if not args.yes:
        what = (
            f"every stored record of {args.person!r}"
            if cutoff is None
            else f"every stored record, of everyone, from before {args.before}"
        )
        raise _CommandError(f"this erases {what}; pass --yes to confirm")
    with _engine(store=_store_url(args)) as engine:
        if cutoff is None:
            removed = engine.store.forget(args.person)
            print(f"erased {removed} record(s) of {args.person!r}", file=out)
        else:
            removed = engine.store.forget_before(cutoff)
            print(f"erased {removed} record(s) from before {args.before}", file=out)
    return EXIT_OK


def _erasures(args: argparse.Namespace, out: TextIO) -> int:
    with _engine(store=_store_url(args)) as engine:
        receipts = engine.store.erasures(args.person)
    for receipt in receipts:
        data = {
            "id": receipt.id,
            "erased_at": receipt.erased_at.isoformat(),
            "before": None if receipt.before is None else receipt.before.isoformat(),
            "counts": dict(receipt.counts),
            "total": receipt.total,
            "person_hash": receipt.person_hash,
            "salt": receipt.salt,
            "scheme": receipt.scheme,
        }
        print(json.dumps(data), file=out)
    return EXIT_OK
