"""The ``resilience`` command: a person's whole cycle, and the tools around it.

The cycle, one command at a time::

    resilience check INSTRUMENT --person P    answer a questionnaire, one item at a time
    resilience profile P [--plot FILE.png]    the latest profile, in plain words
    resilience plan P [--new] [--all]         the plan: this week's steps first
    resilience checkin P STEP done|partly|skipped [--felt 1-5] [--note TEXT]
    resilience history P [--plot FILE.png]    profiles over time, what changed, progress

The tools::

    resilience instruments [show INSTRUMENT]  what can be asked, and how it is scored
    resilience plugins                        what is loaded, and which plugins were skipped
    resilience score INSTRUMENT [ITEM=VALUE ...] [--answers FILE.json]
    resilience export PERSON [--format jsonl|scores-csv|strengths-csv] [--output FILE]
    resilience import FILE [--allow-unregistered]
    resilience forget PERSON --yes | --before DATE --yes
    resilience erasures [PERSON]

Every command takes ``--json`` (print JSON instead of text), ``--store URL`` (default:
``$RESILIENCE_STORE``, then the per-user SQLite file of
:func:`resilience.storage.default_store_url`, which ``--help`` prints) and ``--debug``
(show a traceback on failure). Plugins load as for ``resilience.Engine()``:
``RESILIENCE_PLUGINS`` and ``RESILIENCE_DISABLE_PLUGINS`` decide which installed ones do.

Exit status (see :data:`EXIT_CODES`): 0 success; 1 an unexpected failure (a bug: please
report it); 2 a usage error (unknown command or option, missing argument); 3 bad input
(answers out of range, a file that is not valid JSON, a wrong date); 4 not found (no such
instrument, person, profile, plan, step or file); 5 the store failed; 130 cancelled
(Ctrl-C or end of input while answering). A failure prints one line on stderr, without a
traceback unless ``--debug`` is given. The command uses no colour.

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
import contextlib
import datetime as dt
import json
import os
import sys
import textwrap
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from resilience.engine import Engine
    from resilience.model.assessment import Assessment
    from resilience.model.instruments import Instrument, Item, Wording
    from resilience.model.network import SupportNetwork
    from resilience.model.plans import ConnectionPlan
    from resilience.model.profile import ResilienceProfile

__all__ = [
    "EXIT_CANCELLED",
    "EXIT_CODES",
    "EXIT_ERROR",
    "EXIT_INPUT",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_STORAGE",
    "EXIT_USAGE",
    "build_parser",
    "main",
]

#: Everything asked for was done.
EXIT_OK = 0
#: Something unexpected failed: a bug in the library or a plugin.
EXIT_ERROR = 1
#: The command line itself was wrong (argparse's own status).
EXIT_USAGE = 2
#: The input was refused: answers, a JSON file, a date, a value out of range.
EXIT_INPUT = 3
#: Something asked for does not exist: instrument, person's records, step, file.
EXIT_NOT_FOUND = 4
#: The store could not be opened, read or written; nothing was half-written.
EXIT_STORAGE = 5
#: The person left (Ctrl-C, or the end of input) before finishing; nothing was stored.
EXIT_CANCELLED = 130

#: Every exit status and what it means, for ``--help`` and the docs.
EXIT_CODES: Mapping[int, str] = {
    EXIT_OK: "success",
    EXIT_ERROR: "an unexpected failure (a bug; --debug shows the traceback)",
    EXIT_USAGE: "usage error: unknown command or option, missing argument",
    EXIT_INPUT: "bad input: answers, a JSON file, a date or a value that is refused",
    EXIT_NOT_FOUND: "not found: no such instrument, person, plan, step or file",
    EXIT_STORAGE: "the store failed (nothing was half-written)",
    EXIT_CANCELLED: "cancelled with Ctrl-C or end of input; nothing was stored",
}

_FORMATS = ("jsonl", "scores-csv", "strengths-csv")
_OUTCOMES = ("done", "partly", "skipped")
#: Answers given within this many days of a new check are read into its profile.
_CARRY_DAYS = 28


class _Failure(Exception):
    """A problem with what the user asked for: one line on stderr, and an exit status."""

    def __init__(self, message: str, status: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.status = status


class _Cancelled(Exception):
    """The person left while answering."""


def _store_help(default_store: str | None) -> str:
    if default_store is None:
        from resilience.storage import default_data_dir

        default_store = str(default_data_dir() / "resilience.db")
    return f"store URL or path (default: $RESILIENCE_STORE, else {default_store})"


def build_parser(*, default_store: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``resilience`` command (it loads nothing).

    Args:
        default_store: How ``--help`` names the default store; by default the per-user
            SQLite file on this machine (the docs pass a general description).

    Example:
        >>> build_parser().parse_args(["plugins", "--json"]).json
        True
    """
    from resilience._version import __version__

    store_help = _store_help(default_store)
    codes = "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items())
    parser = argparse.ArgumentParser(
        prog="resilience",
        description=(
            "Walk through the cycle of reflecting on connection: answer a questionnaire "
            "(check), read the profile, follow a plan of small steps, check in on them, and "
            "look back (history). Also: list instruments and plugins, score answers, and "
            "export or erase stored records."
        ),
        epilog=(
            f"Records are kept in the store given by --store, else $RESILIENCE_STORE, else "
            f"{store_help.split('else ', 1)[1].rstrip(')')}. Installed plugins load unless "
            "RESILIENCE_PLUGINS (allow-list) or RESILIENCE_DISABLE_PLUGINS (block-list) say "
            "otherwise; names are comma-separated entry-point or distribution names. "
            f"Exit status: {codes}."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    common.add_argument("--store", metavar="URL", help=store_help)
    common.add_argument(
        "--debug", action="store_true", help="show a traceback when something fails"
    )
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument(
        "--markdown", action="store_true", help="print Markdown instead of plain text"
    )
    reading.add_argument(
        "--width", type=int, default=88, metavar="N", help="wrap text to N columns (88)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(
        name: str, help_: str, *, description: str | None = None, readable: bool = False
    ) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=help_,
            description=description or help_[:1].upper() + help_[1:] + ".",
            parents=[common, reading] if readable else [common],
        )

    # -- the cycle --
    check = command(
        "check",
        "answer a questionnaire one item at a time and store the answers",
        description=(
            "Answer one instrument, one item at a time. Type the number of an answer; an "
            "answer that is not one of the options is asked again with the reason. Ctrl-C "
            "or the end of input leaves without storing anything. With --answers the "
            "answers come from a JSON file ({item: value}) instead. The answers are stored "
            "with a new profile, which also reads the person's other answers of the last "
            f"{_CARRY_DAYS} days. A validated scale whose wording is copyrighted is asked "
            "only when a plugin registers its licensed wording, or, with --by-label, by "
            "item id and the project's own short item labels."
        ),
    )
    check.add_argument("instrument", metavar="INSTRUMENT", help="an instrument id, e.g. ucla-3")
    check.add_argument("--person", required=True, metavar="P", help="the person id")
    check.add_argument("--answers", metavar="FILE", help="a JSON object of item id to value")
    check.add_argument(
        "--network",
        metavar="FILE",
        help="a JSON support network (as resilience.to_json writes a SupportNetwork)",
    )
    check.add_argument(
        "--driver",
        action="append",
        default=[],
        metavar="ID",
        help="a driver of isolation in the person's life, e.g. remote-and-digital (repeatable)",
    )
    check.add_argument(
        "--by-label",
        action="store_true",
        help="ask a scale without registered wording by item id and short label",
    )
    check.add_argument("--locale", metavar="TAG", help="the wording's locale (default: en)")
    check.set_defaults(handler=_check)

    profile = command("profile", "show the person's latest profile in plain words", readable=True)
    profile.add_argument("person", metavar="P", help="the person id")
    profile.add_argument("--plot", metavar="FILE", help="also draw it to an image (needs [plot])")
    profile.set_defaults(handler=_profile)

    plan = command(
        "plan",
        "show the person's plan, making one from the latest profile if there is none",
        description=(
            "Show the plan: this week's steps in full, the rest folded. With no plan yet, "
            "one is made from the latest profile and stored. --new continues the plan from "
            "the latest profile (after a re-assessment, or when its weeks are over)."
        ),
        readable=True,
    )
    plan.add_argument("person", metavar="P", help="the person id")
    plan.add_argument("--new", action="store_true", help="continue with a new plan")
    plan.add_argument("--all", action="store_true", help="show every step in full")
    plan.add_argument("--today", metavar="DATE", help="read 'this week' from DATE (YYYY-MM-DD)")
    plan.set_defaults(handler=_plan)

    checkin = command("checkin", "record what happened with one step of the plan")
    checkin.add_argument("person", metavar="P", help="the person id")
    checkin.add_argument("step", metavar="STEP", help="the step id (c1-01) or its number (1)")
    checkin.add_argument(
        "outcome", choices=_OUTCOMES, metavar="OUTCOME", help="done, partly or skipped"
    )
    checkin.add_argument(
        "--felt", type=int, choices=range(1, 6), metavar="N", help="how it felt, 1 hard … 5 good"
    )
    checkin.add_argument("--note", metavar="TEXT", help="a note to keep with it")
    checkin.add_argument("--on", metavar="DATE", help="the day it happened (default: today)")
    checkin.set_defaults(handler=_checkin)

    history = command(
        "history",
        "show how the profile changed over time, and how the plan is going",
        readable=True,
    )
    history.add_argument("person", metavar="P", help="the person id")
    history.add_argument(
        "--plot", metavar="FILE", help="also draw strengths and progress (needs [plot])"
    )
    history.set_defaults(handler=_history)

    # -- the tools --
    instruments = command(
        "instruments",
        "list the registered instruments, or show one in full",
        description=(
            "List the registered instruments; 'instruments show ID' shows one: its items, "
            "options, scoring, bands, citation and licence."
        ),
    )
    instruments.add_argument("show", nargs="?", choices=["show"], help="show one instrument")
    instruments.add_argument("instrument", nargs="?", metavar="ID", help="the instrument id")
    instruments.set_defaults(handler=_instruments)

    plugins = command("plugins", "list loaded plugins and the plugins that were skipped")
    plugins.set_defaults(handler=_plugins)

    score = command(
        "score",
        "score one set of answers and print the score as JSON",
        description=(
            "Score answers to one instrument (nothing is stored). Give answers as "
            "ITEM=VALUE pairs, in a JSON file of {item: value} (--answers FILE, '-' for "
            "stdin), or both (pairs win). An empty VALUE marks the item as unanswered. "
            "The score is printed as JSON."
        ),
    )
    score.add_argument("instrument", metavar="INSTRUMENT", help="an instrument id, e.g. ucla-3")
    score.add_argument("pairs", nargs="*", metavar="ITEM=VALUE", help="one answer")
    score.add_argument("--answers", metavar="FILE", help="a JSON object of item id to value")
    score.set_defaults(handler=_score)

    score_file = command(
        "score-file",
        "score every row of a CSV or Parquet file of answers into a new file",
        description=(
            "Score a file of answers to one instrument, one answer set per row and one "
            "column per item (named by item id), in chunks. Writes OUT (.csv or .parquet) "
            "with the scores of every row; rows that cannot be scored keep their place, "
            "with their problems. Needs the 'batch' extra (Parquet also needs pyarrow)."
        ),
    )
    score_file.add_argument("instrument", metavar="INSTRUMENT", help="an instrument id")
    score_file.add_argument("file", metavar="FILE", help="a .csv or .parquet file")
    score_file.add_argument("-o", "--output", metavar="OUT", required=True, help="file to write")
    score_file.add_argument(
        "--keep", metavar="COLUMN", action="append", default=[], help="copy a column (repeatable)"
    )
    score_file.add_argument(
        "--missing",
        metavar="VALUE",
        type=float,
        default=float("nan"),
        help="a code for unanswered items, besides empty cells (e.g. -9)",
    )
    score_file.set_defaults(handler=_score_file)

    export = command(
        "export",
        "print every stored record of one person as JSON Lines, or their scores as CSV",
        description=(
            "Export one person's records. jsonl (the default) is every record, which "
            "'resilience import' reads back; scores-csv is one row per profile and "
            "instrument (total, band, subscales, missing items); strengths-csv is one row "
            "per pillar and capacity of each profile. CSV rows are oldest first."
        ),
    )
    export.add_argument("person", metavar="PERSON", help="the person id")
    export.add_argument(
        "--format", "-f", choices=_FORMATS, default="jsonl", help="what to write (default: jsonl)"
    )
    export.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write to FILE instead of stdout (a new file is readable by its owner only)",
    )
    export.set_defaults(handler=_export)

    import_ = command("import", "store the records of a JSON Lines export (all or nothing)")
    import_.add_argument("file", metavar="FILE", help="a .jsonl file ('-' for stdin)")
    import_.add_argument(
        "--allow-unregistered",
        action="store_true",
        help="also store answers to instruments no loaded plugin registers (marked unchecked)",
    )
    import_.set_defaults(handler=_import)

    forget = command(
        "forget",
        "erase every stored record of one person, or everyone's older records",
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
    forget.set_defaults(handler=_forget)

    erasures = command(
        "erasures", "print the erasure receipts as JSON Lines (only PERSON's if given)"
    )
    erasures.add_argument("person", metavar="PERSON", nargs="?", help="only this person's")
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
    try:
        return handler(args, sys.stdout)
    except BrokenPipeError:
        # The reader went away (``resilience plugins | head``): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except _Cancelled:
        print("\nresilience: stopped; nothing was stored", file=sys.stderr)
        return EXIT_CANCELLED
    except KeyboardInterrupt:
        print("\nresilience: interrupted", file=sys.stderr)
        return EXIT_CANCELLED
    except Exception as error:
        if args.debug:
            raise
        status, message = _describe(error)
        _error(message)
        return status


def _describe(error: Exception) -> tuple[int, str]:
    """The exit status and the one line that tell the user what went wrong."""
    from resilience.errors import ResilienceError, StorageError, UnknownBackendError

    if isinstance(error, _Failure):
        return error.status, str(error)
    if isinstance(error, ResilienceError):
        if isinstance(error, LookupError):
            return EXIT_NOT_FOUND, str(error)
        if isinstance(error, UnknownBackendError):
            return EXIT_INPUT, str(error)
        if isinstance(error, StorageError):
            return EXIT_STORAGE, str(error)
        return EXIT_INPUT, str(error)
    if isinstance(error, ModuleNotFoundError) and error.name == "matplotlib":
        return EXIT_NOT_FOUND, str(error)
    if isinstance(error, FileNotFoundError):
        return EXIT_NOT_FOUND, f"{error.strerror}: {error.filename}"
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return EXIT_STORAGE, f"{error.strerror or error}{where}"
    return EXIT_ERROR, (
        f"unexpected {type(error).__name__}: {error} (run again with --debug for the "
        "traceback, and please report it)"
    )


def _error(message: str) -> None:
    text = " ".join(message.split()) or "failed"
    print(f"resilience: error: {text}", file=sys.stderr)


def _engine(*, store: str | None = None, report: bool = True) -> Engine:
    from resilience._plugins import PluginWarning
    from resilience.engine import Engine
    from resilience.errors import ResilienceError

    with warnings.catch_warnings():
        # Problems are printed below as one tidy line each, not as Python warnings.
        warnings.simplefilter("ignore", PluginWarning)
        try:
            engine = Engine(store=store)
            if store is not None:
                engine.store  # noqa: B018 - open it now, so a bad URL fails here
        except ResilienceError:
            raise
        except ValueError as error:  # a store URL the backend cannot even parse
            raise _Failure(f"cannot open the store {store!r}: {error}") from None
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


def _print_json(data: Any, out: TextIO) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False), file=out)


def _day_arg(text: str | None, option: str) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Failure(f"{option} takes a date as YYYY-MM-DD, not {text!r}") from None


# -- the cycle ---------------------------------------------------------------------------


def _instrument(engine: Engine, instrument_id: str) -> Instrument:
    from resilience.errors import UnknownInstrumentError

    instrument = engine.instruments.get(instrument_id)
    if instrument is None:
        raise UnknownInstrumentError(instrument_id, engine.instruments)
    return instrument


def _check(args: argparse.Namespace, out: TextIO) -> int:
    import resilience as rs

    drivers = []
    for driver in args.driver:
        try:
            drivers.append(rs.IsolationDriver(driver))
        except ValueError:
            known = ", ".join(d.value for d in rs.IsolationDriver)
            raise _Failure(
                f"--driver {driver!r} is not a driver of isolation; known: {known}"
            ) from None
    network = _read_network(args.network) if args.network else None
    with _engine(store=_store_url(args)) as engine:
        instrument = _instrument(engine, args.instrument)
        if args.answers:
            answers = _read_answers(args.answers)
        else:
            answers = _ask(engine, instrument, locale=args.locale, by_label=args.by_label)
        score = engine.score(instrument.id, answers)  # refuses bad answers before storing
        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        assessment = engine.stamp(
            rs.Assessment(
                args.person, now, {instrument.id: answers}, network=network, drivers=drivers
            )
        )
        combined, carried = _with_recent_answers(engine, assessment)
        profile = engine.profile(combined)
        engine.store.append_many([assessment, profile])
    if args.json:
        _print_json(
            {
                "score": json.loads(engine.to_json(score)),
                "profile": json.loads(engine.to_json(profile)),
                "carried": sorted(carried),
            },
            out,
        )
        return EXIT_OK
    from resilience.text import strength_text

    band = ""
    if score.band is not None:
        labels = {b.id: b.label for b in instrument.bands}
        band = f" ({labels.get(score.band, score.band)})"
    low, high = score.total_range
    total = (
        f"total {_rounded(score.total)} of {low:g} to {high:g}{band}"
        if score.total is not None
        else "no total, too many items unanswered"
    )
    print(f"Stored: {instrument.name}, {total}.", file=out)
    if carried:
        print(
            "The new profile also reads your answers of the last "
            f"{_CARRY_DAYS} days to: {', '.join(sorted(carried))}.",
            file=out,
        )
    weakest = profile.weakest_pillars(solid_only=True)  # never a first look
    if weakest:
        score_ = profile.pillars[weakest[0]].strength
        print(
            f"Weakest pillar now: {weakest[0].label} ({strength_text(score_)} of 100).",
            file=out,
        )
    print(
        f"Next: 'resilience profile {args.person}' to read it, "
        f"'resilience plan {args.person}' for small steps.",
        file=out,
    )
    return EXIT_OK


def _rounded(value: float) -> str:
    """A score for people: whole numbers as they are, others to two decimals."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")


def _with_recent_answers(engine: Engine, assessment: Assessment) -> tuple[Assessment, set[str]]:
    """The new answers with the person's recent answers to other instruments.

    The latest answers of the last weeks to each other instrument are read in, and the
    latest network and drivers when the new check gives none.
    """
    import attrs

    since = assessment.taken_at - dt.timedelta(days=_CARRY_DAYS)
    earlier = _assessments(engine, assessment.person_id, since=since)
    answers = dict(assessment.answers)
    keys = dict(assessment.key_hashes)
    carried: set[str] = set()
    network, drivers = assessment.network, assessment.drivers
    for old in earlier:  # newest first
        for instrument_id, given in old.answers.items():
            if instrument_id not in answers and instrument_id in engine.instruments:
                answers[instrument_id] = given
                if instrument_id in old.key_hashes:
                    keys[instrument_id] = old.key_hashes[instrument_id]
                carried.add(instrument_id)
        if network is None and old.network is not None:
            network = old.network
        if not drivers and old.drivers:
            drivers = old.drivers
    combined = attrs.evolve(
        assessment, answers=answers, key_hashes=keys, network=network, drivers=drivers
    )
    return combined, carried


def _ask(
    engine: Engine, instrument: Instrument, *, locale: str | None, by_label: bool
) -> dict[str, Any]:
    from resilience.errors import WordingNotFoundError

    try:
        wording: Wording | None = engine.wording(instrument.id, locale)
    except WordingNotFoundError:
        if not by_label:
            raise _Failure(
                f"no wording of {instrument.id!r} is registered"
                + (f" for locale {locale!r}" if locale else "")
                + ": its item texts are under the authors' copyright, so the library ships "
                "none. A plugin can register licensed wording with the "
                "resilience_register_wording hook (see the plugins guide); or give answers "
                "collected elsewhere with --answers FILE.json; or pass --by-label to be "
                "asked by item id and the project's short item labels",
                EXIT_NOT_FOUND,
            ) from None
        wording = None
    ask = sys.stderr
    title = (wording.title if wording and wording.title else instrument.name) or instrument.id
    print(title, file=ask)
    if wording is not None and wording.instructions:
        print(textwrap.fill(wording.instructions, 88), file=ask)
    if wording is None:
        print(
            textwrap.fill(
                "Asked by item label: these are the project's short descriptions, not the "
                "validated wording, so treat the result as a reflection.",
                88,
            ),
            file=ask,
        )
    allowed_missing = instrument.missing.max_missing
    how = "Type the number of your answer and press Enter"
    if allowed_missing:
        how += f"; Enter alone skips an item (up to {allowed_missing})"
    print(textwrap.fill(how + ". Ctrl-C leaves without storing anything.", 88), file=ask)
    answers: dict[str, Any] = {}
    skipped = 0
    for number, item in enumerate(instrument.items, 1):
        value = _ask_item(instrument, item, wording, number, allowed_missing - skipped, ask)
        if value is None:
            skipped += 1
        answers[item.id] = value
    return answers


def _ask_item(
    instrument: Instrument,
    item: Item,
    wording: Wording | None,
    number: int,
    may_skip: int,
    ask: TextIO,
) -> int | float | None:
    scale = instrument.scale_of(item)
    text = (
        wording.items.get(item.id, item.label)
        if wording is not None
        else (f"{item.id}: {item.label}")
    )
    print(f"\n{number}/{len(instrument.items)}  {text}", file=ask)
    for option in scale.options:
        label = option.label
        if wording is not None:
            label = wording.options.get(option.label, option.label.replace("-", " "))
        else:
            label = label.replace("-", " ")
        print(f"   {option.value:g}  {label}", file=ask)
    choices = ", ".join(f"{o.value:g}" for o in scale.options)
    while True:
        print("> ", end="", file=ask, flush=True)
        try:
            line = sys.stdin.readline()
        except KeyboardInterrupt:
            raise _Cancelled from None
        if not line:  # end of input
            raise _Cancelled
        entry = line.strip()
        if not entry:
            if may_skip > 0:
                return None
            print(f"  An answer is needed here; type one of {choices}.", file=ask)
            continue
        try:
            value = float(entry)
        except ValueError:
            print(f"  {entry!r} is not a number; type one of {choices}.", file=ask)
            continue
        for option in scale.options:
            if option.value == value:
                return option.value
        print(f"  {entry} is not one of the answers; type one of {choices}.", file=ask)


def _read_network(name: str) -> SupportNetwork:
    from resilience.model.network import SupportNetwork
    from resilience.serialization import from_json

    try:
        text = _read_text(name)
        return from_json(text, SupportNetwork)
    except UnicodeDecodeError:
        raise _Failure(f"{name} is not UTF-8 text") from None
    except (ValueError, RecursionError) as error:
        raise _Failure(f"{name} is not a support network: {error}") from None


def _assessments(engine: Engine, person: str, **bounds: Any) -> list[Assessment]:
    """A person's stored assessments, newest first."""
    return [r.record for r in engine.store.history(person, "assessment", **bounds)]  # type: ignore[misc]


def _profiles(engine: Engine, person: str) -> list[ResilienceProfile]:
    """A person's stored profiles, oldest first."""
    return [r.record for r in engine.store.history(person, "profile")][::-1]  # type: ignore[return-value]


def _latest_plan(engine: Engine, person: str) -> ConnectionPlan | None:
    stored = engine.store.latest(person, "plan")
    return None if stored is None else stored.record  # type: ignore[return-value]


def _latest_profile(engine: Engine, person: str) -> ResilienceProfile | None:
    stored = engine.store.latest(person, "profile")
    return None if stored is None else stored.record  # type: ignore[return-value]


def _latest(engine: Engine, person: str, kind: str) -> Any:
    stored = engine.store.latest(person, kind)
    if stored is None:
        hint = {
            "profile": f"answer a questionnaire first: resilience check INSTRUMENT --person "
            f"{person} (see 'resilience instruments')",
            "plan": f"make one with: resilience plan {person}",
        }[kind]
        raise _Failure(f"no {kind} of {person!r} is stored yet; {hint}", EXIT_NOT_FOUND)
    return stored.record


def _network_of(engine: Engine, profile: ResilienceProfile) -> SupportNetwork | None:
    for assessment in _assessments(engine, profile.person_id):
        if assessment.taken_at <= profile.assessed_at and assessment.network is not None:
            return assessment.network
    return None


def _profile(args: argparse.Namespace, out: TextIO) -> int:
    from resilience.text import render_profile

    with _engine(store=_store_url(args)) as engine:
        profile = _latest(engine, args.person, "profile")
    if args.plot:
        from resilience.plot import profile_figure

        _save(profile_figure(profile), args.plot)
    if args.json:
        print(engine.to_json(profile, indent=2), file=out)
    else:
        print(
            render_profile(
                profile, instruments=engine.instruments, width=args.width, markdown=args.markdown
            ),
            file=out,
        )
    if args.plot:
        print(f"drew the profile to {args.plot}", file=sys.stderr)
    return EXIT_OK


def _save(figure: Any, name: str) -> None:
    try:
        figure.savefig(name, dpi=120)
    except ValueError as error:  # an extension matplotlib cannot write
        raise _Failure(f"cannot draw to {name}: {error}") from None


def _plan(args: argparse.Namespace, out: TextIO) -> int:
    from resilience.text import render_plan

    today = _day_arg(args.today, "--today")
    made = False
    with _engine(store=_store_url(args)) as engine:
        current = _latest_plan(engine, args.person)
        latest_profile = _latest_profile(engine, args.person)
        if current is None or args.new or latest_profile is None:
            profile: ResilienceProfile = _latest(engine, args.person, "profile")
        else:
            profile = latest_profile
        if current is None or args.new:
            current = engine.plan(
                profile, network=_network_of(engine, profile), today=today, previous=current
            )
            engine.store.append(current)
            made = True
    if args.json:
        print(engine.to_json(current, indent=2), file=out)
        return EXIT_OK
    if made:
        print("A new plan was made and stored.\n", file=out)
    print(
        render_plan(
            current, today=today, width=args.width, markdown=args.markdown, all_steps=args.all
        ),
        file=out,
    )
    if not made and profile.assessed_at > current.profile.assessed_at:
        hint = (
            f"There is a newer profile than this plan's; 'resilience plan {args.person} "
            "--new' continues the plan from it."
        )
        print("\n" + textwrap.fill(hint, 88), file=out)
    print(
        f"\nWhen you have tried a step: resilience checkin {args.person} STEP "
        "done|partly|skipped [--felt 1-5]",
        file=out,
    )
    return EXIT_OK


def _column_labels(moments: Sequence[dt.datetime]) -> list[str]:
    """Each profile's day ("1 Dec"), or its time of day where two share a day."""
    days = [m.date() for m in moments]
    return [f"{m:%H:%M}" if days.count(m.date()) > 1 else f"{m.day} {m:%b}" for m in moments]


def _checkin(args: argparse.Namespace, out: TextIO) -> int:
    import resilience as rs
    from resilience.text import render_progress

    on = _day_arg(args.on, "--on")
    with _engine(store=_store_url(args)) as engine:
        plan: ConnectionPlan = _latest(engine, args.person, "plan")
        step_id = args.step
        if step_id.isdigit() and 1 <= int(step_id) <= len(plan.steps):
            step_id = plan.steps[int(step_id) - 1].id
        check_in = rs.CheckIn(step_id, on, rs.Outcome(args.outcome), felt=args.felt, note=args.note)
        updated = plan.check_in(check_in)
        engine.store.append_many([updated, (check_in, args.person)])
    if args.json:
        print(engine.to_json(updated, indent=2), file=out)
        return EXIT_OK
    from resilience.text import sentence

    step = updated.step(step_id)
    said = {"done": "done", "partly": "partly done", "skipped": "skipped"}[args.outcome]
    print(sentence(f"Recorded: step {step_id}, {said}, on {on.isoformat()}"), file=out)
    print(textwrap.fill(step.action, 88, initial_indent="  ", subsequent_indent="  "), file=out)
    print("", file=out)
    print(render_progress(updated), file=out)
    return EXIT_OK


def _history(args: argparse.Namespace, out: TextIO) -> int:
    from resilience.planning import progress
    from resilience.text import render_change, render_progress, strength_text

    with _engine(store=_store_url(args)) as engine:
        profiles = _profiles(engine, args.person)
        plan = _latest_plan(engine, args.person)
        if not profiles and plan is None:
            raise _Failure(
                f"nothing is stored for {args.person!r} yet; start with: resilience check "
                f"INSTRUMENT --person {args.person}",
                EXIT_NOT_FOUND,
            )
        networks = [_network_of(engine, p) for p in profiles[-2:]]
        # The networks the two profiles were made with: a change that comes only from time
        # passing (a last contact crossing three months) is then told as such.
        change = (
            engine.compare(
                profiles[-2], profiles[-1], before_network=networks[0], after_network=networks[1]
            )
            if len(profiles) >= 2
            else None
        )
    if args.plot:
        from resilience.plot import history_figure

        _save(history_figure(profiles, plan), args.plot)
    if args.json:
        data = {
            "profiles": [
                {
                    "assessed_at": p.assessed_at.isoformat(),
                    "pillars": {k.value: v.strength for k, v in p.pillars.items()},
                    "capacities": {k.value: v.strength for k, v in p.capacities.items()},
                }
                for p in profiles
            ],
            "progress": None if plan is None else json.loads(engine.to_json(progress(plan))),
            "change": None if change is None else json.loads(engine.to_json(change)),
        }
        _print_json(data, out)
        return EXIT_OK
    import resilience as rs

    if profiles:
        print(f"Profiles of {args.person} (0 to 100, higher is stronger)", file=out)
        header = (
            "  "
            + " " * 40
            + "".join(label.rjust(9) for label in _column_labels([p.assessed_at for p in profiles]))
        )
        print(header, file=out)
        for pillar in rs.Pillar:
            cells = "".join(
                strength_text(p.pillars[pillar].strength).replace("not measured yet", "–").rjust(9)
                for p in profiles
            )
            print(f"  {pillar.label:<40}{cells}", file=out)
    if change is not None:
        print("", file=out)
        print(
            render_change(
                change,
                instruments=engine.instruments,
                before_network=networks[0],
                after_network=networks[1],
                width=args.width,
                markdown=args.markdown,
            ),
            file=out,
        )
    if plan is not None:
        print("", file=out)
        print(render_progress(plan, width=args.width, markdown=args.markdown), file=out)
    if args.plot:
        print(f"drew the history to {args.plot}", file=sys.stderr)
    return EXIT_OK


# -- the tools ---------------------------------------------------------------------------


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
    if args.show or args.instrument:
        if not (args.show and args.instrument):
            raise _Failure("use: resilience instruments show ID", EXIT_USAGE)
        return _show_instrument(args, out)
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
        _print_json(data, out)
        return EXIT_OK
    width = max((len(inst.id) for inst in instruments), default=0)
    for inst in instruments:
        kind = "validated" if inst.validated else "checklist"
        line = f"{inst.id:<{width}}  {kind:<9}  {inst.name}"
        if inst.citation:
            line += f" — {inst.citation.text}"
        print(line, file=out)
    return EXIT_OK


def _show_instrument(args: argparse.Namespace, out: TextIO) -> int:
    from resilience.errors import WordingNotFoundError

    engine = _engine()
    instrument = _instrument(engine, args.instrument)
    try:
        wording: Wording | None = engine.wording(instrument.id)
    except WordingNotFoundError:
        wording = None
    if args.json:
        data = json.loads(engine.to_json(instrument))
        data["key_hash"] = instrument.key_hash
        data["wording"] = None if wording is None else json.loads(engine.to_json(wording))
        _print_json(data, out)
        return EXIT_OK
    low, high = instrument.total_range
    lines = [
        f"{instrument.name} ({instrument.id}, version {instrument.version})",
        "A validated scale."
        if instrument.validated
        else ("The project's own checklist: a reflection aid, not a clinical screening tool."),
    ]
    if instrument.description:
        lines.append(instrument.description)
    lines.append("")
    lines.append("Items" + ("" if wording else " (short labels; the wording is not shipped)"))
    for number, item in enumerate(instrument.items, 1):
        text = wording.items.get(item.id, item.label) if wording else item.label
        flags = " (reverse-keyed)" if item.reverse else ""
        lines.append(f"  {number}. {item.id}: {text}{flags}")
    lines.append("")
    lines.append("Options")
    scales = {instrument.scale_of(item).id: instrument.scale_of(item) for item in instrument.items}
    for scale in scales.values():
        for option in scale.options:
            label = option.label.replace("-", " ")
            if wording is not None:
                label = wording.options.get(option.label, label)
            lines.append(f"  {option.value:g}  {label}")
    lines.append("")
    lines.append("Scoring")
    direction = "higher is stronger" if instrument.higher_is_better else "higher means more strain"
    lines.append(f"  {instrument.method.value} of the items, {low:g} to {high:g}; {direction}.")
    missing = instrument.missing
    lines.append(
        f"  Up to {missing.max_missing} item(s) may be left unanswered."
        if missing.max_missing
        else "  Every item must be answered."
    )
    for subscale in instrument.subscales:
        lines.append(f"  Subscale {subscale.id} ({subscale.label}): {', '.join(subscale.item_ids)}")
    if instrument.bands:
        lines.append("")
        lines.append("Bands")
        start = f"{low:g}"
        for band in instrument.bands:
            mark = " (a research convention)" if band.convention else ""
            end = f"{band.upper:g}" if band.upper_inclusive else f"below {band.upper:g}"
            lines.append(f"  {band.label}: {start} to {end}{mark}")
            # The next band starts where this one stops, on the side the bound leaves open.
            start = f"above {band.upper:g}" if band.upper_inclusive else f"{band.upper:g}"
    if instrument.citation:
        lines += [
            "",
            "Citation",
            textwrap.fill(
                instrument.citation.text, 86, initial_indent="  ", subsequent_indent="  "
            ),
        ]
        if instrument.citation.doi:
            lines.append(f"  doi:{instrument.citation.doi}")
    if instrument.licence:
        lines += [
            "",
            "Licence",
            textwrap.fill(instrument.licence, 86, initial_indent="  ", subsequent_indent="  "),
        ]
    for note in instrument.notes:
        lines += ["", textwrap.fill(f"Note: {note}", 88)]
    print("\n".join(lines), file=out)
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
            raise _Failure(f"expected ITEM=VALUE, got {pair!r}")
        answers[item] = _value(value)
    engine = _engine()
    score = engine.score(args.instrument, answers)
    print(engine.to_json(score, indent=2), file=out)
    return EXIT_OK


def _read_text(name: str) -> str:
    try:
        if name == "-":
            return sys.stdin.read()
        return Path(name).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _Failure(f"{name} is not UTF-8 text") from None


def _read_answers(name: str) -> dict[str, Any]:
    try:
        data = json.loads(_read_text(name))
    except json.JSONDecodeError as error:
        raise _Failure(f"{name} is not valid JSON: {error}") from None
    except UnicodeDecodeError:
        raise _Failure(f"{name} is not UTF-8 text") from None
    except RecursionError:
        raise _Failure(f"{name} is nested too deeply to be answers") from None
    if not isinstance(data, dict):
        raise _Failure(
            f"{name} must hold a JSON object of item id to value, not {type(data).__name__}"
        )
    return data


def _export(args: argparse.Namespace, out: TextIO) -> int:
    with _engine(store=_store_url(args)) as engine:
        if args.format == "jsonl":
            lines = engine.store.export(args.person)
            text, count, what = "".join(lines), len(lines), "record(s)"
        else:
            from resilience.tables import scores_csv, strengths_csv

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
    # Read in binary mode, one line at a time: only a line feed ends a line, and a file
    # of any size is imported in constant memory.
    with contextlib.ExitStack() as files, _engine(store=_store_url(args)) as engine:
        source = (
            sys.stdin.buffer if args.file == "-" else files.enter_context(open(args.file, "rb"))
        )
        try:
            added = engine.import_records(source, allow_unregistered=args.allow_unregistered)
        except RecursionError:  # the JSON decoder's own limit, below the store's checks
            raise _Failure(f"{args.file} holds JSON nested too deeply to be records") from None
    print(f"imported {added} new record(s)", file=out)
    return EXIT_OK


def _cutoff(text: str) -> dt.datetime | dt.date:
    from resilience.serialization import parse_datetime

    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        moment = parse_datetime(text)
    except ValueError:
        raise _Failure(
            f"--before takes a date (YYYY-MM-DD) or an ISO 8601 date-time, not {text!r}"
        ) from None
    if moment.utcoffset() is None:
        raise _Failure(f"--before {text!r} has no UTC offset; add one, e.g. +00:00")
    return moment


def _forget(args: argparse.Namespace, out: TextIO) -> int:
    if (args.person is None) == (args.before is None):
        raise _Failure("give either PERSON or --before DATE", EXIT_USAGE)
    cutoff = None if args.before is None else _cutoff(args.before)
    if not args.yes:
        what = (
            f"every stored record of {args.person!r}"
            if cutoff is None
            else f"every stored record, of everyone, from before {args.before}"
        )
        raise _Failure(f"this erases {what}; pass --yes to confirm", EXIT_USAGE)
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


def _score_file(args: argparse.Namespace, out: TextIO) -> int:
    try:
        from resilience import batch
    except ImportError as error:
        raise _Failure(
            f"score-file needs the batch extra ({error.name} is not installed): "
            "pip install 'connection-resilience[batch]'"
        ) from None
    from resilience.errors import UnknownInstrumentError

    engine = _engine()
    instrument = engine.instruments.get(args.instrument)
    if instrument is None:
        raise UnknownInstrumentError(args.instrument, engine.instruments)
    bar = batch.progress_to_terminal()  # only when stderr is a terminal
    try:
        summary = batch.score_file(
            instrument, args.file, args.output, keep=args.keep, missing=args.missing, progress=bar
        )
    finally:
        if bar is not None:
            bar.close()
    print(
        f"{summary.rows} rows scored: {summary.valid} valid, {summary.invalid} with problems "
        f"(see the problems column); wrote {summary.output}",
        file=out,
    )
    return EXIT_OK
