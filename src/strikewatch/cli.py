"""The command line: thin wrappers over the library functions."""
from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from strikewatch.errors import StrikewatchError
from strikewatch.printable import printable


class SafeConsole(Console):
    """A console that prints every string with its control characters escaped: rich passes
    ESC through, and a file name or a report's text can hold any character."""

    def print(self, *objects, **kwargs) -> None:
        super().print(*(printable(o, newlines=True) if isinstance(o, str) else o
                        for o in objects), **kwargs)


def _row(table: Table, *cells) -> None:
    table.add_row(*(printable(c, newlines=True) if isinstance(c, str) else c for c in cells))


app = typer.Typer(help="strikewatch: strike and protest reports to evidence-backed events.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
events_app = typer.Typer(help="List and show stored events.", no_args_is_help=True)
app.add_typer(events_app, name="events")
out = SafeConsole()
err = SafeConsole(stderr=True)

DbOption = Annotated[Optional[str], typer.Option(
    "--db", help="Database URL (default: $STRIKEWATCH_DB, else sqlite:///strikewatch.db).")]


def _store(db: str | None):
    from strikewatch.store.repository import Store
    return Store.open(db)


def _fail(error: StrikewatchError) -> None:
    err.print(error.line(), markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def run_ingest(paths: list[Path], db: str | None, *, kb: list[Path] | None = None,
               quiet: bool = False):
    from strikewatch.ingest import count_inputs
    from strikewatch.pipeline import Extractor, ingest

    store = _store(db)
    total = count_inputs(paths)
    progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err, transient=True,
                        disable=quiet or total < 20)
    with progress:
        task = progress.add_task("ingest", total=total)
        extractor = Extractor(kb_paths=kb or ())
        report = ingest(paths, store, extractor=extractor,
                        on_document=lambda _src: progress.advance(task),
                        on_failure=lambda f: err.print(f.line(), markup=False, soft_wrap=True,
                                                       highlight=False))
    summary = (f"read {report.read} documents: {report.stored} stored, {report.unchanged} "
               f"unchanged, {len(report.failures)} failed; {report.events} event mentions")
    err.print(summary, markup=False, highlight=False, soft_wrap=True)
    return store, report


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="Files or folders to read.")],
           db: DbOption = None,
           kb: Annotated[Optional[list[Path]], typer.Option(
               help="Extra knowledge-base file(s) of enterprises (same JSON shape).")] = None,
           quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False) -> None:
    """Read reports (.txt with .meta.json, .html, .json, .jsonl) and store their events.
    Exit status 1 when any document failed (each failure is one line on stderr)."""
    try:
        _store_, report = run_ingest(paths, db, kb=kb, quiet=quiet)
    except StrikewatchError as e:
        _fail(e)
        return
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def extract(paths: Annotated[list[Path], typer.Argument(help="Files or folders to read.")],
            no_classifier: Annotated[bool, typer.Option(
                "--no-classifier", help="Rules only: leave the trained classifier out.")] = False,
            kb: Annotated[Optional[list[Path]], typer.Option(
                help="Extra knowledge-base JSON file(s) of enterprises.")] = None) -> None:
    """Print the events of each document as JSON Lines ({"document", "events"}), with no store.
    A bad document gets one line on stderr and the exit status 1; the others are printed."""
    import json

    from strikewatch.export.mentions import mention_record
    from strikewatch.ingest import read_documents
    from strikewatch.pipeline import Extractor, unsupported_language
    from strikewatch.types import Failure

    extractor = Extractor(kb_paths=kb or (), classifier=not no_classifier)
    failed = False

    def readable():
        nonlocal failed
        for item in read_documents(paths):
            bad = item if isinstance(item, Failure) else unsupported_language(item)
            if bad is not None:
                failed = True
                err.print(bad.line(), markup=False, highlight=False, soft_wrap=True)
                continue
            yield item

    for result in extractor.extract_many(readable()):
        if isinstance(result, Failure):
            failed = True
            err.print(result.line(), markup=False, highlight=False, soft_wrap=True)
            continue
        sys.stdout.write(json.dumps({"document": result.document.id,
                                     "events": [mention_record(e) for e in result.events]},
                                    ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


@app.command()
def export(kind: Annotated[str, typer.Argument(help="events or entities")],
           format: Annotated[str, typer.Option("--format", "-f",
                                               help="jsonl, csv or geojson")] = "jsonl",
           output: Annotated[Optional[Path], typer.Option("--output", "-o",
                                                          help="File (default: stdout).")] = None,
           db: DbOption = None) -> None:
    """Write every stored event or entity."""
    from strikewatch.export import export as do_export
    try:
        n = do_export(_store(db), kind, format=format, output=output)
    except StrikewatchError as e:
        _fail(e)
        return
    if output is not None:
        err.print(f"wrote {n} {kind} to {output}", markup=False, highlight=False, soft_wrap=True)


@app.command()
def evaluate(gold: Annotated[Optional[list[Path]], typer.Argument(
                 help="Gold files, or folders of them (files named cross*.json in a folder are "
                      "cross-document gold).")] = None,
             docs: Annotated[Optional[Path], typer.Option(
                 help="Folder of the .txt documents, to check evidence spans.")] = None,
             cross: Annotated[Optional[list[Path]], typer.Option(
                 help="Cross-document gold file(s).")] = None,
             events: Annotated[Optional[Path], typer.Option(
                 help="events.jsonl to grade (default: export the store).")] = None,
             entities: Annotated[Optional[Path], typer.Option(
                 help="entities.jsonl to grade (default: export the store).")] = None,
             shared: Annotated[Optional[Path], typer.Option(
                 help="Measure on the third-party sets under this folder (the layout of "
                      "shared/: datasets/ and corpora/realnews/), beside a keyword baseline.")] = None,
             sets: Annotated[Optional[str], typer.Option(
                 help="With --shared: comma-separated sets (realnews,glocon,case,bbc,ipe).")] = None,
             no_classifier: Annotated[bool, typer.Option(
                 "--no-classifier", help="With --shared: rules only, no trained classifier.")] = False,
             parse_cache: Annotated[Optional[Path], typer.Option(
                 help="With --shared: keep spaCy parses in this folder between runs.")] = None,
             floor: Annotated[Optional[list[str]], typer.Option(
                 help="NAME>=VALUE (or NAME<=VALUE): exit 1 when a figure misses it, e.g. "
                      "glocon.doc.f1>=0.85, bbc.fp_rate<=0.005, recall>=0.9 for gold files.")] = None,
             db: DbOption = None,
             verbose: bool = False) -> None:
    """Grade an export against gold files (the format of shared/eval/gold), or, with
    --shared, measure extraction on third-party data beside a keyword baseline."""
    import json
    import tempfile

    from strikewatch.evaluate.thirdparty import Figure, failed_floors, parse_floor
    try:
        floors = [parse_floor(f) for f in floor or []]
    except ValueError as error:
        err.print(str(error), markup=False, highlight=False)
        raise typer.Exit(2)
    figures: list[Figure] = []
    if shared is not None:
        figures += _third_party(shared, sets, parse_cache, not no_classifier)
    if gold:
        from strikewatch.evaluate import evaluate_paths
        from strikewatch.export import export as do_export
        gold, cross = _gold_files(gold, list(cross or []))
        with tempfile.TemporaryDirectory() as tmp:
            if events is None or entities is None:
                store = _store(db)
                if events is None:
                    events = Path(tmp) / "events.jsonl"
                    do_export(store, "events", output=events)
                if entities is None:
                    entities = Path(tmp) / "entities.jsonl"
                    do_export(store, "entities", output=entities)
            report = evaluate_paths(events, entities, gold, cross, docs)
        for line in report.lines(verbose=verbose):
            out.print(line, markup=False, highlight=False, soft_wrap=True)
        if verbose:
            out.print(json.dumps(report.to_dict(), indent=1), markup=False, highlight=False,
                      soft_wrap=True)
        figures += [Figure("recall", report.recall, None), Figure("precision", report.precision, None)]
    elif shared is None:
        err.print("give gold files, or --shared FOLDER", markup=False, highlight=False)
        raise typer.Exit(2)
    missed = failed_floors(figures, floors)
    for line in missed:
        err.print(f"below floor: {line}", markup=False, highlight=False, soft_wrap=True)
    if missed:
        raise typer.Exit(1)


def _third_party(shared: Path, sets: str | None, parse_cache: Path | None = None,
                 classifier: bool = True) -> list:
    from strikewatch.evaluate.thirdparty import SETS, measure
    from strikewatch.pipeline import Extractor

    chosen = [s.strip() for s in (sets or ",".join(SETS)).split(",") if s.strip()]
    unknown = [s for s in chosen if s not in SETS]
    if unknown:
        err.print(f"unknown set(s) {', '.join(unknown)}: choose from {', '.join(SETS)}",
                  markup=False, highlight=False)
        raise typer.Exit(2)
    figures = measure(shared, Extractor(classifier=classifier), sets=chosen,
                      on_set=lambda name: err.print(f"measuring {name} ...", markup=False,
                                                    highlight=False),
                      parse_cache=parse_cache)
    table = Table(title=f"third-party data under {shared}")
    for column in ("figure", "strikewatch", "keyword baseline", "over"):
        table.add_column(column)
    for f in figures:
        _row(table, *f.row())
    out.print(table)
    return figures


def _gold_files(paths: list[Path], cross: list[Path]) -> tuple[list[Path], list[Path]]:
    """Gold files as given; a folder gives its *.json, cross*.json counting as cross gold."""
    gold: list[Path] = []
    for path in paths:
        if path.is_dir():
            for f in sorted(path.glob("*.json")):
                (cross if f.name.startswith("cross") else gold).append(f)
        else:
            gold.append(path)
    return gold, cross


def _event_table(rows, title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for col in ("id", "type", "who", "where", "when", "participants", "arrests", "sources"):
        table.add_column(col, overflow="fold")
    for rec in rows:
        who = (rec["workplace"] or {}).get("name") or ", ".join(rec["actors"][:3])
        where = (rec["location"] or {}).get("name") or ""
        when = rec["date"]["start"] or "?"
        if rec["date"]["end"] and rec["date"]["end"] != rec["date"]["start"]:
            when += f"..{rec['date']['end']}"

        def rng(c):
            if not c:
                return ""
            return str(c["low"]) if c["low"] == c["high"] else f"{c['low']}-{c['high']}"
        _row(table, rec["id"][:12], rec["type"], who, where, when, rng(rec["participants"]),
                      rng(rec["arrests"]), ", ".join(s["document"] for s in rec["sources"]))
    return table


@events_app.command("list")
def events_list(db: DbOption = None,
                type: Annotated[Optional[str], typer.Option(help="Only this type.")] = None,
                limit: int = 200) -> None:
    """The stored events as a table."""
    from strikewatch.export import records
    rows = [r for r in records(_store(db), "events") if type is None or r["type"] == type]
    out.print(_event_table(rows[:limit], f"{len(rows)} events"))


def describe_count(count: dict) -> str:
    parts = [f"{c['text']} ({c['attributed_to'] or 'unattributed'}, doc {c['document']})"
             for c in count["claims"]]
    head = str(count["low"]) if count["low"] == count["high"] else f"{count['low']}–{count['high']}"
    return f"{head}: " + " – ".join(parts)


@events_app.command("show")
def events_show(event_id: str, db: DbOption = None) -> None:
    """One event with every field, its claims and their evidence."""
    from strikewatch.export.records import event_record
    row = _store(db).event(event_id)
    if row is None:
        err.print(f"no single event with id starting {event_id!r} "
                  "(see `strikewatch events list`)", markup=False)
        raise typer.Exit(1)
    rec = event_record(row)
    out.print(f"[bold]{rec['id']}[/bold] {rec['type']}")
    wp = rec["workplace"] or {}
    loc = rec["location"] or {}
    lines = [("workplace", wp.get("name") or "—"), ("actors", ", ".join(rec["actors"]) or "—"),
             ("place", ", ".join(str(x) for x in (loc.get("name"), loc.get("admin1"),
                                                   loc.get("country")) if x) or "—"),
             ("date", f"{rec['date']['start']}..{rec['date']['end']} ({rec['date']['precision']}"
                      f"{', ' + repr(rec['date']['text']) if rec['date']['text'] else ''})")]
    for f in ("participants", "arrests", "injuries", "deaths"):
        if rec[f]:
            lines.append((f, describe_count(rec[f])))
    lines.append(("demands", ", ".join(rec["demands"]) or "—"))
    for k, v in lines:
        out.print(f"  {k:13} {v}", markup=False, highlight=False, soft_wrap=True)
    for src in rec["sources"]:
        for ev in src["evidence"]:
            out.print(f"  evidence      [{src['document']} {ev['start']}:{ev['end']}] "
                      f"{ev['text'].strip()}", markup=False, highlight=False, soft_wrap=True)


# --- corrections ----------------------------------------------------------------------------

entities_app = typer.Typer(help="List, merge and split stored entities.", no_args_is_help=True)
app.add_typer(entities_app, name="entities")

ActorOption = Annotated[Optional[str], typer.Option(
    "--actor", help="Who makes the correction (default: $STRIKEWATCH_ACTOR, else your login).")]


def _actor(actor: str | None) -> str:
    import getpass
    import os
    if actor:
        return actor
    if os.environ.get("STRIKEWATCH_ACTOR"):
        return os.environ["STRIKEWATCH_ACTOR"]
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers)
        return "unknown"


def _say(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


@events_app.command("merge")
def events_merge(a: Annotated[str, typer.Argument(help="Event id (or its start) to keep.")],
                 b: Annotated[str, typer.Argument(help="Event id (or its start) to merge in.")],
                 db: DbOption = None, actor: ActorOption = None) -> None:
    """Make two events one, for good (re-ingest keeps them merged)."""
    from strikewatch.store.corrections import merge_events
    try:
        merged = merge_events(_store(db), a, b, actor=_actor(actor))
    except StrikewatchError as e:
        _fail(e)
        return
    _say(f"merged {a} and {b} into {merged}")


@events_app.command("split")
def events_split(event_id: Annotated[str, typer.Argument(help="Event id (or its start).")],
                 document: Annotated[Optional[list[str]], typer.Option(
                     "--document", help="Move this document's mentions out (repeatable).")] = None,
                 mention: Annotated[Optional[list[str]], typer.Option(
                     "--mention", help="Move this mention out (repeatable).")] = None,
                 db: DbOption = None, actor: ActorOption = None) -> None:
    """Move some documents' mentions out of an event into one of their own, for good."""
    from strikewatch.store.corrections import split_event
    try:
        rest, moved = split_event(_store(db), event_id, documents=document or [],
                                  mentions=mention or [], actor=_actor(actor))
    except StrikewatchError as e:
        _fail(e)
        return
    _say(f"split {event_id}: {rest} (remaining) and {moved} (moved out)")


@entities_app.command("list")
def entities_list(db: DbOption = None,
                  type: Annotated[Optional[str], typer.Option(help="Only this type.")] = None,
                  limit: int = 500) -> None:
    """The stored entities as a table."""
    rows = [(e, docs) for e, docs in _store(db).iter_entities() if type is None or e.type == type]
    table = Table(title=f"{len(rows)} entities")
    for col in ("id", "type", "name", "aliases", "documents"):
        table.add_column(col, overflow="fold")
    for ent, docs in rows[:limit]:
        _row(table, ent.id, ent.type, ent.name, ", ".join(a.alias for a in ent.aliases),
                      ", ".join(docs))
    out.print(table)


@entities_app.command("merge")
def entities_merge(a: Annotated[str, typer.Argument(help="Entity id, key or id start to keep.")],
                   b: Annotated[str, typer.Argument(help="Entity to merge into it.")],
                   db: DbOption = None, actor: ActorOption = None) -> None:
    """Make entity B part of entity A, for good (B's key resolves to A's on re-ingest)."""
    from strikewatch.store.corrections import merge_entities
    try:
        kept = merge_entities(_store(db), a, b, actor=_actor(actor))
    except StrikewatchError as e:
        _fail(e)
        return
    _say(f"merged {b} into {kept}")


@entities_app.command("split")
def entities_split(entity: Annotated[str, typer.Argument(help="Entity id, key or id start.")],
                   alias: Annotated[str, typer.Option(
                       "--alias", help="The surface form to give an entity of its own.")],
                   db: DbOption = None, actor: ActorOption = None) -> None:
    """Give one surface form of an entity an entity of its own, for good."""
    from strikewatch.store.corrections import split_entity
    try:
        new = split_entity(_store(db), entity, alias=alias, actor=_actor(actor))
    except StrikewatchError as e:
        _fail(e)
        return
    _say(f"split {alias!r} out of {entity} into {new}")


def _audit_side(side: dict | None) -> str:
    parts = []
    for kind in ("events", "entities"):
        for item in (side or {}).get(kind, []):
            mentions = item.get("mentions") or 0
            n = len(mentions) if isinstance(mentions, list) else mentions
            name = f" {item['name']}" if item.get("name") else ""
            docs = ", ".join(item.get("documents") or [])
            parts.append(f"{item['id']}{name} ({n} mentions: {docs})")
    return "\n".join(parts)


@app.command()
def audit(db: DbOption = None, limit: int = 200) -> None:
    """The corrections made, oldest first, as a table."""
    from strikewatch.store.corrections import audit_log
    try:
        rows = audit_log(_store(db))
    except StrikewatchError as e:
        _fail(e)
        return
    table = Table(title=f"{len(rows)} corrections")
    for col in ("#", "at (UTC)", "actor", "action", "target", "before", "after"):
        table.add_column(col, overflow="fold")
    for row in rows[-limit:]:
        _row(table, str(row.id), row.at.strftime("%Y-%m-%d %H:%M:%S"), row.actor, row.action,
                      row.target, _audit_side(row.before), _audit_side(row.after))
    out.print(table)


def run_server(db: str | None, *, host: str, port: int, public: str,
               insecure_cookies: bool = False, base_url: str | None = None) -> None:
    import uvicorn

    from strikewatch import settings as defaults
    from strikewatch.serve.app import Settings, assets_missing, create_app
    # the feed's links: --base-url, else $STRIKEWATCH_BASE_URL, else the address served on
    base = defaults.base_url(base_url or os.environ.get(defaults.ENV_BASE_URL)
                             or f"http://{host}:{port}/")
    settings = Settings(db=db, public=public, secure_cookies=not insecure_cookies,
                        base_url=base)
    missing = assets_missing(settings)
    if missing:
        err.print(f"the map's browser assets are missing ({', '.join(missing)}): run "
                  "`npm ci --prefix web` (pages work, the map does not)", markup=False)
    application = create_app(settings)
    out.print(f"strikewatch serving on http://{host}:{port}/ (public view: {public} events; "
              "Ctrl-C stops)", markup=False, highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning",
                proxy_headers=False, server_header=False)


@app.command()
def serve(db: DbOption = None,
          host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
          public: Annotated[str, typer.Option(
              help="What logged-out visitors see: verified events, or all.")] = "verified",
          insecure_cookies: Annotated[bool, typer.Option(
              help="Send cookies over plain HTTP to hosts other than localhost "
                   "(only behind a TLS-terminating proxy you trust).")] = False,
          base_url: Annotated[str | None, typer.Option(
              help="The address readers use (https://strikes.example.org/), from which the "
                   "Atom feed builds its links [default: $STRIKEWATCH_BASE_URL, else the "
                   "address served on].")] = None) -> None:
    """Serve the web app and JSON API (OpenAPI at /openapi.json)."""
    if public not in ("verified", "all"):
        _fail(StrikewatchError(f"--public {public!r}", fix="use verified or all"))
    try:
        run_server(db, host=host, port=port, public=public, insecure_cookies=insecure_cookies,
                   base_url=base_url)
    except StrikewatchError as error:
        _fail(error)


users_app = typer.Typer(help="Accounts of the web app.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(name: Annotated[str, typer.Argument(help="Login name.")],
              role: Annotated[str, typer.Option(help="viewer, reviewer or admin.")] = "reviewer",
              password_stdin: Annotated[bool, typer.Option(
                  help="Read the password from standard input (else it is asked twice).")]
              = False,
              db: DbOption = None) -> None:
    """Create an account. There is no default password: you choose one (at least 10
    characters); only its argon2 hash is stored."""
    from strikewatch.store import accounts
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        accounts.add_user(_store(db), name, role, password)
    except StrikewatchError as e:
        _fail(e)
    _say(f"added {role} {name}")


@app.command()
def demo(db: DbOption = None,
         serve: Annotated[bool, typer.Option(
             help="Then serve the web app on the demo data (all events public).")] = True,
         port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000) -> None:
    """Ingest the bundled sample reports, print the event table, and serve the web app."""
    samples = resources.files("strikewatch") / "samples"
    with resources.as_file(samples) as folder:
        try:
            store, report = run_ingest([Path(folder)], db)
        except StrikewatchError as e:
            _fail(e)
            return
    from strikewatch.export import records
    rows = list(records(store, "events"))
    out.print(_event_table(rows, f"{len(rows)} events from the sample reports"))
    if not report.ok:
        raise typer.Exit(1)
    if serve:
        run_server(db, host="127.0.0.1", port=port, public="all")


def _usage_error(e, args: list[str]) -> int:
    """Show a usage error with its values escaped; a file whose name starts with a dash,
    taken for an option, gets the hint to put -- before the paths."""
    if isinstance(getattr(e, "message", None), str):
        dashed = [a for a in args if a.startswith("-") and a != "--" and Path(a).exists()]
        if getattr(e, "option_name", None) and dashed:
            e.message += (f" ({dashed[0]!r} is a file: put -- before the paths, as in "
                          f"strikewatch ingest -- {dashed[0]})")
        e.message = printable(e.message)
    e.show()
    return e.exit_code


# Exit statuses of every command (README, "Exit status")
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CRASH, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status: 0 done; 1 some documents failed
    (one line each on stderr), the others kept; 2 a usage or configuration error; 3 a crash
    (a bug: the traceback and one line on stderr); 130 interrupted."""
    try:
        code = app(args=argv, prog_name="strikewatch", standalone_mode=False)
    except (KeyboardInterrupt, typer.Abort):
        err.print("interrupted", markup=False, highlight=False)
        return EXIT_INTERRUPTED
    except typer.Exit as e:
        return e.exit_code
    except Exception as e:
        if hasattr(e, "show") and isinstance(getattr(e, "exit_code", None), int):
            # a usage error of the parser (typer bundles its own click)
            return _usage_error(e, sys.argv[1:] if argv is None else argv)
        import traceback  # a bug: say so in one line, after the traceback for its report
        sys.stderr.write(printable("".join(traceback.format_exception(e)), newlines=True))
        err.print(f"strikewatch crashed: {e.__class__.__name__}: {e} (this is a bug: please "
                  "report it with the command and the traceback above)",
                  markup=False, highlight=False, soft_wrap=True)
        return EXIT_CRASH
    return code if isinstance(code, int) else EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
