"""The `microcare` command: opens the app, or runs a subcommand.

User errors print one plain line to stderr and exit non-zero; never a traceback:
  0 done; 1 it could not be done (a file or database problem; `check` found a problem);
  2 the command line was wrong; 70 a bug in microcare (MICROCARE_DEBUG=1 shows where);
  130 interrupted (ctrl+c); 141 the output was closed early (`| head`), silently.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

from microcare_tui import __version__, config
from microcare_tui.domain.errors import MicrocareError

if TYPE_CHECKING:  # argparse is imported when a command needs it, not to open the app
    import argparse

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 70  # sysexits.h EX_SOFTWARE
EXIT_INTERRUPTED = 130
EXIT_PIPE_CLOSED = 141  # as a shell reports a program ended by SIGPIPE


LATER = {
    "import": "import providers from a spreadsheet (CSV/XLSX)",
    "backup": "a safe copy of the database through SQLite's backup API",
    "settings": "view and change settings (rates, thresholds, reference lists)",
}


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class _Parser(argparse.ArgumentParser):
        """argparse, with its errors on one line (the usage is one `--help` away)."""

        def error(self, message: str) -> NoReturn:
            self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")

    return _Parser


def build_parser() -> argparse.ArgumentParser:
    """The whole command line (every subcommand and option)."""
    import argparse

    parser = _parser_class()(
        prog="microcare",
        description=(
            "microcare: find, develop, check and signpost care micro-providers, offline.\n"
            "With no command, opens the full-screen app on your database."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "Database location: --db PATH, else $MICROCARE_DB, else the user data folder\n"
            f"({config.default_db_path()}).\n"
            "Examples:\n"
            "  microcare --demo                      open the app on demo data\n"
            "  microcare search 'shopping TN23 tue'  find providers from the command line\n"
            "  microcare demo --scale county --db /tmp/county.db"
        ),
    )
    parser.add_argument("--version", action="version", version=f"microcare {__version__}")
    parser.add_argument("--db", metavar="PATH", help="database file to open")
    parser.add_argument(
        "--demo", action="store_true", help="open the app on the demo database (made on first use)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="create a database of realistic demo data")
    demo.add_argument("--db", metavar="PATH", help="where to write it (default: the demo database)")
    demo.add_argument(
        "--scale",
        choices=["small", "county", "large"],
        default="small",
        help="small: ~60 providers; county: 1,000 providers, 100,000 enquiries; large: 10x county",
    )
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
    demo.add_argument("--force", action="store_true", help="replace an existing file at --db")

    init = sub.add_parser("init", help="create a new, empty real database (for scripted set-up)")
    init.add_argument("--db", metavar="PATH", help="database file to create")
    init.add_argument("--worker", metavar="NAME", help="the worker's name, recorded on changes")
    init.add_argument("--team", metavar="NAME", help="the team or council name")

    search = sub.add_parser("search", help="find providers, as the lookup does")
    search.add_argument("query", help="e.g. 'shopping TN23 tue', 'companion dementia dp'")
    search.add_argument("--db", metavar="PATH", help="database to search")
    search.add_argument("--json", action="store_true", help="print JSON, best match first")
    search.add_argument("--limit", type=int, default=20, help="how many (default 20)")

    check = sub.add_parser(
        "check",
        help="schema, references, search indexes and change log (non-zero exit on a problem)",
    )
    check.add_argument("--db", metavar="PATH", help="database to check")
    check.add_argument(
        "--full",
        action="store_true",
        help="also SQLite's integrity check of every page, record and index (slower: seconds)",
    )

    _add_report(sub)

    from microcare_tui import cli_sync  # argparse only; its handlers import on use

    cli_sync.register(sub)
    for name, what in LATER.items():
        later = sub.add_parser(name, help=f"(coming) {what}")
        later.add_argument("args", nargs="*")
    return parser


def app_args(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a plain start of the app (`microcare`, `--db PATH`, `--demo`), read
    without argparse: building the whole command line costs the app's first frame ~25 ms.
    None for anything else (a command, --help, a mistake), which argparse reads."""
    db: str | None = None
    demo = False
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--demo" and not demo:
            demo = True
        elif arg == "--db" and db is None and rest and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif arg.startswith("--db=") and db is None and len(arg) > len("--db="):
            db = arg[len("--db=") :]
        else:
            return None
    return SimpleNamespace(command=None, db=db, demo=demo)


_SEARCH_VALUES = {"--db": "db", "--limit": "limit"}


def search_args(argv: Sequence[str]) -> SimpleNamespace | None:
    """The arguments of a plain `microcare search QUERY [--db PATH] [--json] [--limit N]`,
    read without argparse (building the whole command line is a fifth of the process).
    None for anything else (an option twice, an abbreviation, `--`, a query or value that
    starts with '-', a limit that is not a number), which argparse reads as before."""
    if not argv or argv[0] != "search":
        return None
    got: dict[str, Any] = {"command": "search", "db": None, "demo": False}
    got |= {"json": False, "limit": 20}
    seen: set[str] = set()
    query: str | None = None
    rest = list(argv[1:])
    while rest:
        arg = rest.pop(0)
        name, eq, value = arg.partition("=")
        if arg == "--json" and arg not in seen:
            seen.add(arg)
            got["json"] = True
        elif name in _SEARCH_VALUES and name not in seen:
            if not eq:
                if not rest:
                    return None
                value = rest.pop(0)
            if not value or value.startswith("-"):
                return None
            seen.add(name)
            got[_SEARCH_VALUES[name]] = value
        elif query is None and not arg.startswith("-"):
            query = arg
        else:
            return None
    if query is None:
        return None
    try:
        got["limit"] = int(got["limit"])  # argparse's type=int calls the same int()
    except ValueError:
        return None
    return SimpleNamespace(query=query, **got)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `microcare` console script."""
    given = sys.argv[1:] if argv is None else argv
    args: Any = app_args(given) or search_args(given)
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, not as a warning at exit
        return code
    except MicrocareError as exc:
        print(f"microcare: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(
            "microcare: interrupted; nothing half-written (each save is one transaction).",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (`| head -1`) has what it wanted: stop quietly, as `cat` would.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except OSError as exc:
        print(f"microcare: {_os_error_text(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        if os.environ.get("MICROCARE_DEBUG"):
            raise
        # The type only: a message or traceback could carry a caller's name or number.
        print(
            f"microcare: unexpected error ({type(exc).__name__}), a bug in microcare."
            " Run again with MICROCARE_DEBUG=1 to see where.",
            file=sys.stderr,
        )
        return EXIT_BUG


def _dispatch(args: argparse.Namespace) -> int:
    if args.command is None:
        return _run_app(args)
    handler = {
        "demo": _cmd_demo,
        "init": _cmd_init,
        "search": _cmd_search,
        "check": _cmd_check,
        "report": _cmd_report,
        "team": _cmd_sync,
        "sync": _cmd_sync,
    }.get(args.command)
    if handler is None:
        print(
            f"microcare {args.command}: not in this version yet ({LATER[args.command]}).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return handler(args)


def _cmd_sync(args: argparse.Namespace) -> int:
    from microcare_tui import cli_sync

    return cli_sync.run(args)


def _os_error_text(exc: OSError) -> str:
    """A file error nobody foresaw, in one line (the services name the ones they expect)."""
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or type(exc).__name__}{where}."


def _db_path(args: argparse.Namespace) -> Path:
    return config.resolve_db_path(getattr(args, "db", None))


def _progress_printer(title: str) -> Callable[[str, int, int], None]:
    """Progress on stderr: one line redrawn on a terminal, a line per step in a log; the
    title first, once work has begun (a refusal before that is the only line)."""
    live = sys.stderr.isatty()
    last = {"stage": ""}

    def progress(stage: str, done: int, total: int) -> None:
        if "title" not in last:
            last["title"] = title
            print(title, file=sys.stderr, flush=True)
        pct = 100 * done // total if total else 100
        text = f"  {stage:<22} {done:>9,} / {total:,} ({pct:3d}%)"
        if not live:
            print(text, file=sys.stderr, flush=True)
            return
        if stage != last["stage"] and last["stage"]:
            print(file=sys.stderr)
        last["stage"] = stage
        print(f"\r{text}", end="\n" if done >= total else "", file=sys.stderr, flush=True)

    return progress


def _make_demo(path: Path, scale: str = "small", seed: int = 1) -> None:
    """Make the demo database at `path` unless it is there already, with progress on stderr."""
    from microcare_tui.services import demo

    demo.discard_stale_partials(path)  # left by a demo that was killed
    if demo.has_demo_data(path):
        return
    demo.create_demo_database(
        path,
        scale=scale,
        seed=seed,
        progress=_progress_printer(f"Creating demo data ({scale}) in {path} ..."),
    )


def _run_app(args: argparse.Namespace) -> int:
    import gc

    # No cyclic garbage collection until the first frame (the app's on_ready turns it back
    # on): importing Textual and the app and making Home allocate ~70,000 objects, and
    # Python's collections over them were ~5% of the instructions to the first frame.
    gc.disable()
    from microcare_tui.services.database import open_database

    if args.demo:
        path = Path(args.db).expanduser() if args.db else config.demo_db_path()
        _make_demo(path)
    else:
        path = _db_path(args)
    store = open_database(path)  # fail here, on the terminal, before the screen takes over
    from microcare_tui.ui.app import MicrocareApp

    # The app's UI thread is this thread: it keeps the connection rather than opening (and
    # checking the schema of) the same file again before its first frame.
    app = MicrocareApp(db_path=path, demo=bool(args.demo), opened=store)
    app.run()
    return app.return_code or EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from microcare_tui.services.demo import discard_database

    path = Path(args.db).expanduser() if args.db else config.demo_db_path()
    if os.path.lexists(path):
        if not args.force:
            print(
                f"microcare demo: {path} already exists; use --force to replace it.",
                file=sys.stderr,
            )
            return EXIT_ERROR
        discard_database(path)
    import time

    started = time.perf_counter()
    _make_demo(path, scale=args.scale, seed=args.seed)
    print(f"Demo database ready: {path} ({time.perf_counter() - started:.1f} s)")
    return EXIT_OK


def _cmd_init(args: argparse.Namespace) -> int:
    from microcare_tui.domain.errors import ValidationFailed
    from microcare_tui.services.database import AlreadySetUp, clean_name, init_database

    path = _db_path(args)
    try:
        worker = clean_name(args.worker or "", "worker", required=True)
        team = clean_name(args.team or "", "team")
        init_database(path, worker, team)
    except AlreadySetUp as exc:
        print(f"microcare init: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except ValidationFailed as exc:
        if "worker" in exc.errors and not (args.worker or "").strip():
            print("microcare init: give the worker's name with --worker NAME.", file=sys.stderr)
        else:
            print(f"microcare init: {exc.message}.", file=sys.stderr)
        return EXIT_USAGE
    print(f"Created {path} for {worker}{' (' + team + ')' if team else ''}.")
    return EXIT_OK


def _cmd_search(args: argparse.Namespace) -> int:
    import gc

    # A short process that makes no garbage to collect: the collections Python runs while
    # the store and lookup modules import were ~0.6 ms of its ~33 (as in _run_app).
    gc.disable()
    import json

    from microcare_tui.domain.labels import days_text, standing_label
    from microcare_tui.domain.parse import format_phone
    from microcare_tui.services.database import reading
    from microcare_tui.services.lookup import find_providers

    if args.limit < 1 or args.limit > 1000:
        print("microcare search: --limit must be from 1 to 1000.", file=sys.stderr)
        return EXIT_USAGE
    with reading(_db_path(args)) as db:  # never creates, migrates or writes
        result = find_providers(db, args.query, limit=args.limit, cache=False)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "name": r.name,
                        "areas": [r.area] if r.area else [],
                        "based_in": r.area,
                        "serves_asked_areas": r.serves,
                        "place": r.place,
                        "services": r.services,
                        "days": r.days,
                        "stage": r.stage,
                        "standing": r.standing,
                        "taking_new_clients": r.taking,
                        "placement": r.placement,
                        "phone": r.phone,
                    }
                    for r in result.rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        if result.fuzzy_note:
            print(result.fuzzy_note, file=sys.stderr)
        return EXIT_OK
    understood = ", ".join(f"{c.kind}: {c.label}" for c in result.query.chips)
    if understood:
        print(f"Understood: {understood}")
    if result.fuzzy_note:
        print(result.fuzzy_note)
    if not result.rows:
        print("No providers match.")
        return EXIT_OK
    print(f"{result.total} provider(s); best {len(result.rows)}:")
    for r in result.rows:
        flag = "" if r.taking else " (not taking clients)"
        print(
            f"  {r.name} | {', '.join(r.services)} | {r.place} | {days_text(r.days)} | "
            f"{standing_label(r.standing)} | {format_phone(r.phone)}{flag}"
        )
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from microcare_tui.services.database import check_database

    path = _db_path(args)
    report = check_database(path, full=args.full)
    for key, value in report.facts.items():
        print(f"{key}: {value}")
    if report.ok:
        what = "SQLite's integrity check and microcare's" if args.full else "microcare's"
        print(f"OK: {path} passed {what} checks.")
        return EXIT_OK
    for problem in report.problems:
        print(f"problem: {problem}", file=sys.stderr)
    return EXIT_ERROR


def _add_report(sub: argparse._SubParsersAction[Any]) -> None:
    report = sub.add_parser("report", help="reports: the public register (impact and gaps to come)")
    kinds = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    register = kinds.add_parser(
        "register",
        help="the public register of providers in good standing (public fields only)",
        description="The public register: providers in good standing today, public fields "
        "only, with the note that inclusion is not a recommendation.",
    )
    register.add_argument("--db", metavar="PATH", help="database to read")
    register.add_argument(
        "--format",
        choices=["csv", "json", "xlsx", "html"],
        help="csv (UTF-8 for Excel), json (Open Referral UK), xlsx or html (printable); "
        "default: from the --out file's ending, else csv",
    )
    register.add_argument("--out", metavar="FILE", help="file to write (default: standard output)")


def _cmd_report(args: argparse.Namespace) -> int:
    from datetime import date

    from microcare_tui.reports.register import export_register, format_for, load_register, render
    from microcare_tui.services.database import reading

    out = Path(args.out) if args.out else None
    fmt = format_for(out, args.format)
    if out is None and fmt == "xlsx":
        print("microcare report register: an xlsx file needs --out FILE.", file=sys.stderr)
        return EXIT_USAGE
    with reading(_db_path(args)) as db:  # never creates, migrates or writes
        if out is None:
            sys.stdout.buffer.write(render(load_register(db, date.today()), fmt))
            return EXIT_OK
        done = export_register(db, out, fmt, date.today())
    print(done.message, file=sys.stderr)
    return EXIT_OK
