"""The `microcare team` and `microcare sync` commands (registered by cli.py).

Kept apart from cli.py so the start-up path stays small: this module needs only argparse
until a command runs; each handler imports its services when it is called.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from microcare_tui import config

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
PASSPHRASE_ENV = "MICROCARE_TEAM_PASSPHRASE"


def register(sub: Any) -> None:
    """Add `team` and `sync` to the CLI's subcommands."""
    team = sub.add_parser("team", help="make a team (team lead) or join one (each laptop)")
    team_sub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    init = team_sub.add_parser(
        "init", help="make a team and its key; write the enrolment file colleagues join with"
    )
    init.add_argument("--name", required=True, help="the team's name, e.g. 'Kent East'")
    init.add_argument("--out", required=True, metavar="FILE", help="the enrolment file to write")
    join = team_sub.add_parser("join", help="join this laptop's database to a team")
    join.add_argument("file", metavar="FILE", help="the enrolment file from the team lead")
    join.add_argument("--db", metavar="PATH", help="the database (made if there is none)")
    for parser in (init, join):
        parser.epilog = f"The passphrase is asked for; scripts may set ${PASSPHRASE_ENV}."

    sync = sub.add_parser("sync", help="export and import bundles to share work with colleagues")
    sync_sub = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    export = sync_sub.add_parser("export", help="write a bundle of this laptop's news")
    export.add_argument(
        "--to", required=True, metavar="DIR", help="folder (or USB stick) to write in"
    )
    export.add_argument(
        "--for",
        dest="target",
        metavar="DEVICE",
        help="one colleague's laptop (name or device id), or 'snapshot' to set up a new "
        "laptop (default: everything any colleague heard from lacks)",
    )
    imp = sync_sub.add_parser("import", help="import bundles from colleagues")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument(
        "--accept-clock",
        action="store_true",
        help="import even if the sender's clock looks more than a day ahead",
    )
    folder = sync_sub.add_parser(
        "folder", help="the team folder: import what is new there, then export this laptop's news"
    )
    folder.add_argument("dir", metavar="DIR")
    sync_sub.add_parser("status", help="the team, and what each colleague's laptop has")
    sync_sub.add_parser("conflicts", help="list edits that clashed, for review")
    for parser in (export, imp, folder, *sync_sub.choices.values()):
        if not any(a.dest == "db" for a in parser._actions):
            parser.add_argument("--db", metavar="PATH", help="the database to use")


def run(args: argparse.Namespace) -> int:
    """Run a `team` or `sync` command."""
    if args.command == "team":
        return _team_init(args) if args.team_command == "init" else _team_join(args)
    handler = {
        "export": _sync_export,
        "import": _sync_import,
        "folder": _sync_folder,
        "status": _sync_status,
        "conflicts": _sync_conflicts,
    }[args.sync_command]
    return handler(args)


def _say_error(prefix: str, message: str) -> None:
    print(f"microcare {prefix}: {message}", file=sys.stderr)


def _passphrase(confirm: bool) -> str | None:
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        return None
    import getpass

    first = getpass.getpass("Team passphrase: ")
    if confirm and getpass.getpass("Again, to check: ") != first:
        raise _Usage("the two passphrases differ; nothing was written.")
    return first


class _Usage(Exception):
    pass


def _team_init(args: argparse.Namespace) -> int:
    from microcare_tui.domain.errors import ValidationFailed
    from microcare_tui.services.team import create_team

    try:
        passphrase = _passphrase(confirm=True)
    except _Usage as exc:
        _say_error("team init", str(exc))
        return EXIT_USAGE
    if passphrase is None:
        _say_error("team init", f"give the passphrase at the prompt, or in ${PASSPHRASE_ENV}.")
        return EXIT_USAGE
    try:
        made = create_team(args.name, Path(args.out).expanduser(), passphrase)
    except ValidationFailed as exc:
        _say_error("team init", f"{exc.message}.")
        return EXIT_USAGE
    print(f"Made the team {made.name!r}; its enrolment file is {made.file} (readable by you only).")
    print("Give colleagues the file, and the passphrase separately (say it, never e-mail both).")
    print(f"On each laptop, this one too: microcare team join {made.file}")
    return EXIT_OK


def _team_join(args: argparse.Namespace) -> int:
    from microcare_tui.services.database import opened
    from microcare_tui.services.team import join_team, read_enrolment

    passphrase = _passphrase(confirm=False)
    if passphrase is None:
        _say_error("team join", f"give the passphrase at the prompt, or in ${PASSPHRASE_ENV}.")
        return EXIT_USAGE
    team = read_enrolment(Path(args.file).expanduser(), passphrase)
    path = config.resolve_db_path(args.db)
    with opened(path) as db:
        view, changed = join_team(db, team)
    if changed:
        print(f"This laptop ({path}) joined the team {view.name!r}.")
        print("Share work with `microcare sync folder DIR` (a team folder) or `sync export`.")
    else:
        print(f"This laptop is already in the team {view.name!r}; nothing changed.")
    return EXIT_OK


def _sync_export(args: argparse.Namespace) -> int:
    from microcare_tui.services.database import opened
    from microcare_tui.services.sync import export_bundle

    with opened(config.resolve_db_path(args.db)) as db:
        result = export_bundle(db, Path(args.to).expanduser(), args.target)
    what = "snapshot" if result.kind == "snapshot" else "bundle"
    print(
        f"Wrote {result.path} ({what} for {result.target_name}: {result.changes:,} change(s), "
        f"{result.seconds:.1f} s)."
    )
    if not result.changes:
        print("No changes to send; the bundle still tells colleagues what this laptop has.")
    return EXIT_OK


def _sync_import(args: argparse.Namespace) -> int:
    from microcare_tui.domain.errors import MicrocareError
    from microcare_tui.services.database import opened
    from microcare_tui.services.sync import import_bundle

    failed = 0
    with opened(config.resolve_db_path(args.db)) as db:
        for name in args.files:
            path = Path(name).expanduser()
            try:
                result = import_bundle(db, path, accept_clock=args.accept_clock)
            except MicrocareError as exc:
                failed += 1
                _say_error("sync import", f"{path.name}: {exc.message}")
                continue
            for line in result.lines():
                print(line)
    return EXIT_ERROR if failed else EXIT_OK


def _sync_folder(args: argparse.Namespace) -> int:
    from microcare_tui.services.database import opened
    from microcare_tui.services.sync_folder import sync_folder

    with opened(config.resolve_db_path(args.db)) as db:
        result = sync_folder(db, Path(args.dir).expanduser())
    for line in result.lines():
        print(line)
    for name, _ in result.refused:
        _say_error("sync folder", f"{name} was not imported (see above).")
    return EXIT_ERROR if result.refused else EXIT_OK


def _sync_status(args: argparse.Namespace) -> int:
    from microcare_tui.services.database import opened
    from microcare_tui.services.sync import short_device
    from microcare_tui.services.sync_folder import sync_status, time_text

    with opened(config.resolve_db_path(args.db)) as db:
        status = sync_status(db)
    if status.team is None:
        print("Team: none yet (microcare team join FILE).")
    else:
        print(f"Team: {status.team.name}")
        if status.team.folder:
            print(f"Team folder: {status.team.folder}")
    print(f"This laptop: {status.worker} (device {short_device(status.device_id)})")
    print(
        f"Changes held: {status.changes_held:,}; "
        f"not yet sent to every colleague: {status.to_send:,}"
    )
    print(f"Open conflicts: {status.open_conflicts}")
    if not status.devices:
        print("Colleagues' laptops heard from: none yet.")
    for d in status.devices:
        lacks = "has everything this laptop has" if not d.lacks else f"lacks {d.lacks:,} change(s)"
        print(
            f"  {d.name} ({short_device(d.device_id)}): last heard {time_text(d.last_heard_at)}; "
            f"has {d.has:,} change(s), {lacks}"
        )
    return EXIT_OK


def _sync_conflicts(args: argparse.Namespace) -> int:
    from microcare_tui.services.database import opened
    from microcare_tui.services.sync_conflicts import conflict_lines

    with opened(config.resolve_db_path(args.db)) as db:
        lines = conflict_lines(db)
    for line in lines:
        print(line)
    return EXIT_OK
