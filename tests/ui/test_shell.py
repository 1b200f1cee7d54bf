"""The app shell: opens, shows the header, moves between sections by key, help, first run."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.worker import WorkerState

from microcare_tui.services.dashboard import Dashboard, load_dashboard
from microcare_tui.services.database import is_first_run, open_database
from microcare_tui.ui.app import MicrocareApp
from microcare_tui.ui.screens.help import HelpScreen
from tests.conftest import TODAY


async def test_home_shows_header_and_counts(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "test.db" in app.title
        assert "Sam Tester" in app.sub_title
        text = str(app.screen.query_one("#register-counts").render())
        assert "0 providers" in text


async def test_section_keys_and_help(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("5")
        assert app.current_mode == "training"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("1")
        assert app.current_mode == "home"


async def test_first_run_asks_for_name(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    app = MicrocareApp(db_path=path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")  # no name yet: refused
        await pilot.pause()
        assert type(app.screen).__name__ == "FirstRunScreen"
        await pilot.press(*"Ann Worker", "enter", *"Kent")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ != "FirstRunScreen"
        assert "Ann Worker" in app.sub_title
    store = open_database(path)
    assert not is_first_run(store)
    store.close()


async def test_command_palette_reaches_sections(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Settings")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "settings"


async def test_question_mark_opens_help_where_no_field_has_focus(db_path: Path) -> None:
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        parent = app.screen.query_one(".page-title").parent
        assert parent is not None
        assert "follow-ups" in str(parent.children[1].render())


async def test_locked_database_message_in_a_form(db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    monkeypatch.setattr("microcare_tui.store.db.BUSY_TIMEOUT_MS", 50)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9", "e")
        await pilot.pause()
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+s")
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("busy" in m for m in messages), messages
            assert type(app.screen).__name__ == "ProgrammeForm"  # still open, nothing lost
        finally:
            holder.execute("ROLLBACK")
            holder.close()


async def test_first_run_can_open_the_demo_instead(tmp_path: Path, isolated_env: Path) -> None:
    app = MicrocareApp(db_path=tmp_path / "real.db", today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab", "tab", "enter")  # name, team, Start, Open the demo
        for _ in range(100):  # the demo is generated in a worker (small scale: ~1 s)
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if app.demo:
                break
        assert app.demo and "DEMO" in app.title
        assert app.db_path == isolated_env / "demo.db"
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "providers" in str(app.screen.query_one("#providers-status").render())
    real = open_database(tmp_path / "real.db")
    assert is_first_run(real)  # the real database was left empty
    real.close()


async def test_a_save_reaches_home_and_the_header_through_data_changed(db_path: Path) -> None:
    """DataChanged after a save: the header's count and Home's figures follow, each from a
    typed message; a dashboard load that was overtaken is not shown."""

    from textual.message import Message

    from microcare_tui.services.providers import save_provider
    from microcare_tui.ui.messages import DashboardLoaded, DataChanged
    from microcare_tui.ui.screens.home import HomeScreen

    seen: list[Message] = []
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        before = app.store.unexported_changes()
        assert app.sub_title == f"Sam Tester · {_exported_count(app)}"
        said_before = app.sub_title
        seen.clear()
        save_provider(app.store, {"name": "Oak Tree Companions"})
        pending = app.store.unexported_changes()
        assert pending > before
        assert app.sub_title == said_before  # not told yet
        app.data_changed("providers")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [type(m).__name__ for m in seen if isinstance(m, DataChanged)] == ["DataChanged"] * 2
        loads = [m for m in seen if isinstance(m, DashboardLoaded)]
        assert [m.generation for m in loads] == [home._generation]
        assert loads[0].dashboard.providers_total == 1
        assert app.sub_title == f"Sam Tester · {_exported_count(app)}"
        counts = str(home.query_one("#register-counts").render())
        assert "1 provider," in counts

        # A load that a newer one overtook arrives late: it changes nothing.
        old = loads[0].dashboard._replace(providers_total=99)
        home.post_message(DashboardLoaded(home._generation - 1, old))
        await pilot.pause()
        assert "1 provider," in str(home.query_one("#register-counts").render())


# -- a crash prints no personal data ---------------------------------------------------------
def _crash_with_personal_data() -> None:
    caller_name = "Margaret Testcaller"
    caller_phone = "07700 900123"
    raise ValueError(f"could not read {caller_phone} for {caller_name}")


async def test_a_crash_prints_what_happened_but_no_personal_data(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Textual's crash screen printed the locals of every frame: a caller's name and phone.
    The app's report names the error's type and where it happened, never a value."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    with pytest.raises(ValueError):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.call_later(_crash_with_personal_data)
            await pilot.pause()
            await pilot.pause()
    printed = capsys.readouterr()
    out = printed.out + printed.err
    assert app.return_code == 1
    assert "Margaret" not in out and "07700" not in out and "900123" not in out
    assert "ValueError" in out
    assert "test_shell.py:" in out and "_crash_with_personal_data" in out  # where it happened
    assert "saved" in out.lower()  # tells the worker their saved work is safe


async def test_a_failed_worker_says_so_without_the_errors_text(db_path: Path) -> None:
    """A background read that fails tells the worker, naming the kind of error only: its
    message may quote a caller's details."""
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        worker = app.run_worker(_crash_with_personal_data, thread=True, exit_on_error=False)
        for _ in range(100):
            await pilot.pause(0.02)
            if worker.state is WorkerState.ERROR and app._notifications:
                break
        messages = [n.message for n in app._notifications]
        assert len(messages) == 1 and "ValueError" in messages[0]
        assert "07700" not in messages[0] and "Margaret" not in messages[0]


# -- the header tells the truth after every save ------------------------------------------------
def _exported_count(app: MicrocareApp) -> str:
    from microcare_tui.domain.labels import count_text

    n = app.store.unexported_changes()
    return f"{count_text(n)} change{'' if n == 1 else 's'} to export"


async def test_the_header_follows_every_save_path(db_path: Path) -> None:
    """Follow-up done (Home and the list) and a signpost's outcome each change what is to
    export; the header says so at once, in the same words as Home."""

    from microcare_tui.ui.screens.call import CallScreen
    from microcare_tui.ui.widgets.line_list import LineList
    from microcare_tui.ui.widgets.signpost_list import SignpostList
    from tests.ui.test_call import seed_follow_up

    seed_follow_up(db_path)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        start = app.sub_title
        assert _exported_count(app) in start

        await pilot.press("enter")  # Home: open the follow-up's enquiry
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        app.screen.query_one(SignpostList).focus()
        await pilot.press("o")  # what happened: contacted (saved at once)
        await pilot.pause()
        assert app.sub_title != start
        assert _exported_count(app) in app.sub_title
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()

        before = app.sub_title
        await pilot.press("f", *"rang back", "ctrl+s")  # Home: follow-up done
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.sub_title != before
        assert _exported_count(app) in app.sub_title
        home_counts = str(app.screen.query_one("#enquiry-counts").render())
        assert _exported_count(app).replace("to export", "not yet exported") in home_counts
        assert app.screen.query_one("#follow-ups", LineList).row_count == 0


async def test_a_dashboard_read_before_a_save_does_not_put_old_figures_in_the_header(
    db_path: Path,
) -> None:
    """Home's figures are read in a worker; a save made while that read was under way (from
    a screen on top of Home) refreshes the header, and the older read arriving afterwards
    must not put the older count back ("2,504" on Home under a header that said "2,508")."""
    from microcare_tui.services.providers import save_provider
    from microcare_tui.ui.messages import DashboardLoaded
    from microcare_tui.ui.screens.home import HomeScreen

    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.reload()  # a read starts ...
        await app.workers.wait_for_complete()
        await pilot.press("f1")  # ... the worker moves on, and a save happens meanwhile
        save_provider(app.store, {"name": "Oak Tree Companions"})
        app.data_changed("providers")
        await pilot.pause()
        fresh = _exported_count(app)
        assert fresh in app.sub_title
        stale = load_dashboard_now(app)._replace(
            unexported_changes=app.store.unexported_changes() - 3
        )
        home.post_message(DashboardLoaded(home._generation, stale))  # the read made earlier
        await pilot.pause()
        assert fresh in app.sub_title


def load_dashboard_now(app: MicrocareApp) -> Dashboard:
    return load_dashboard(app.store, TODAY)


def test_count_text_groups_thousands_and_agrees_with_its_noun() -> None:
    from microcare_tui.domain.labels import count_text

    assert [count_text(n) for n in (0, 7, 999, 1000, 13338)] == ["0", "7", "999", "1,000", "13,338"]
    assert count_text(1, "change") == "1 change"
    assert count_text(1000, "enquiry", "enquiries") == "1,000 enquiries"


async def test_home_and_the_enquiry_list_show_large_numbers_one_way(db_path: Path) -> None:
    """1,000 and 13,338, never 1000: Home's figures, the header and the list's count."""
    from microcare_tui.services.dashboard import StageCount
    from microcare_tui.services.enquiry_list import EnquiryListFilter, EnquiryPage
    from microcare_tui.ui.messages import DashboardLoaded, EnquiryPageLoaded
    from microcare_tui.ui.screens.enquiries import EnquiriesScreen
    from microcare_tui.ui.screens.home import HomeScreen

    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        big = load_dashboard_now(app)._replace(
            providers_total=13338,
            good_standing=1000,
            providers_by_stage=[StageCount("approved", "Approved", 12000)],
            open_enquiries=2504,
            follow_ups_due_count=1555,
            unmet_needs=1001,
            unexported_changes=2508,
        )
        home.reload()  # asked after the header's last refresh: its figures may show there
        await app.workers.wait_for_complete()
        home.post_message(DashboardLoaded(home._generation, big))
        await pilot.pause()
        text = str(home.query_one("#register-counts").render())
        text += str(home.query_one("#enquiry-counts").render())
        for shown in ("13,338", "1,000", "12,000", "2,504", "1,555", "1,001", "2,508"):
            assert shown in text
        assert "2,508 changes to export" in app.sub_title
        for raw in ("13338", "12000", "2504", "1555", "1001", "2508"):
            assert raw not in text + app.sub_title

        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EnquiriesScreen)
        page = EnquiryPage(EnquiryListFilter(), 0, 100_050, 50, [])
        screen.post_message(EnquiryPageLoaded(screen.generation, page))
        await pilot.pause()
        status = str(screen.query_one("#enquiries-status").render())
        assert "100,050 enquiries" in status and "page 1 of 2,001" in status


# -- sections still to come say what they will hold and which keys work now ---------------------
def _keys_of(screen_class: type) -> dict[str, str]:
    return {b.key: b.action for b in screen_class.BINDINGS}  # type: ignore[attr-defined]


async def test_home_enquiries_and_planned_sections_footers_show_whole_keys(db_path: Path) -> None:
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    from microcare_tui.ui.widgets.footer import FitFooter

    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("1", "2", "4", "8"):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.pause()
            footer = app.screen.query_one(Footer)
            assert isinstance(footer, FitFooter), key
            palette = footer.query_one(".-command-palette")
            shown = [k for k in footer.query(FooterKey) if k is not palette and k.display]
            assert shown
            assert all(k.region.right <= palette.region.x for k in shown), key


async def test_the_header_fits_80_columns_whole(tmp_path: Path) -> None:
    """'microcare · county.db — Demo worker · 315,032 changes to expo…': at 80 columns the
    app's name gives way, so the count of changes shows whole."""
    from textual.widgets._header import HeaderTitle

    from microcare_tui.services.database import initialise

    path = tmp_path / "county-team.db"
    store = open_database(path, worker="Alexandra Worthington")
    initialise(store, "Alexandra Worthington", "Kent")
    store.close()
    app = MicrocareApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(app.screen.query_one(HeaderTitle).render())
        assert shown.endswith("1 change to export"), shown  # the team setting (schema 0007)
        assert shown.startswith("county-team.db — Alexandra Worthington")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        shown = str(app.screen.query_one(HeaderTitle).render())
        assert shown.startswith("microcare · county-team.db")


async def test_the_warm_up_waits_for_homes_figures(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up (~0.2 s of imports in a new process) starts once Home has painted its
    figures, so they do not wait for it; and it starts once."""
    shown_when_warmed: list[str] = []

    def warm_up(app: MicrocareApp) -> None:
        shown_when_warmed.append(str(app.screen.query_one("#register-counts").render()))

    monkeypatch.setattr(MicrocareApp, "warm_up", warm_up)
    app = MicrocareApp(db_path=db_path, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)  # past WARM_UP_AFTER_S: the timer does not warm up again
    assert len(shown_when_warmed) == 1
    assert "providers" in shown_when_warmed[0]
    assert "Loading" not in shown_when_warmed[0]
