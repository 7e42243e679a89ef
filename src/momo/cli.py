"""The ``momo`` command. It reads the same MOMO_* settings as the web app."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from momo.config import Settings
from momo.errors import MomoError

if TYPE_CHECKING:
    from momo.core import Momo

app = typer.Typer(help="Momo: a community server where everyone is Momo.", no_args_is_help=True)
admin_app = typer.Typer(help="Roles for moderators and admins.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
privacy_app = typer.Typer(help="Privacy tools.", no_args_is_help=True)
app.add_typer(privacy_app, name="privacy")
console = Console()

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Data folder (default: $MOMO_DATA_DIR or ./data)")
]


def _settings(data_dir: Path | None) -> Settings:
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    return settings


def _open(data_dir: Path | None) -> Momo:
    """The Momo object, migrated; a missing or unsafe secrets file is a clear error."""
    from momo.core import Momo
    from momo.keyring import SecretsFileError

    try:
        momo = Momo(_settings(data_dir))
    except SecretsFileError as error:
        Console(stderr=True).print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    momo.migrate()
    return momo


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (more than one needs Redis)")
    ] = 1,
    data_dir: DataDir = None,
) -> None:
    """Apply migrations and run the web server."""
    import uvicorn

    from momo.web.app import create_app
    from momo.web.slow_clients import ConfiguredHeaderDeadline, with_header_deadline

    momo = _open(data_dir)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if workers > 1 and not momo.settings.redis_url:
        momo.close()
        # Limits, spent proofs of work and the cache version must be shared, or
        # each worker would grant its own allowance.
        Console(stderr=True).print("[red]--workers above 1 needs MOMO_REDIS_URL[/red]")
        raise typer.Exit(2)
    console.print(
        f"Momo is listening on http://{host}:{port} with {workers} worker(s) "
        f"(data in {momo.settings.data_dir})"
    )
    app_or_factory: Any = create_app(momo)
    http: Any = with_header_deadline(momo.settings.header_timeout_seconds)
    if workers > 1:
        # Workers build their own Momo from the environment: hand them this folder.
        os.environ["MOMO_DATA_DIR"] = str(momo.settings.data_dir)
        momo.close()
        app_or_factory, http = "momo.web.app:factory", ConfiguredHeaderDeadline
    # No access log and no proxy-header rewriting: the client address must not
    # reach a log line (docs/threat-model.md). ClientShield handles proxies itself.
    uvicorn.run(
        app_or_factory,
        factory=workers > 1,
        workers=workers if workers > 1 else None,
        host=host,
        port=port,
        access_log=False,
        proxy_headers=False,
        server_header=False,
        log_config=None,
        # Idle keep-alive connections close after 5 s, headers must arrive in time,
        # and shutdown waits at most 10 s.
        timeout_keep_alive=5,
        http=http,
        timeout_graceful_shutdown=10,
    )


@app.command()
def migrate(data_dir: DataDir = None) -> None:
    """Bring the database schema up to date."""
    _open(data_dir).close()
    console.print("schema is up to date")


@app.command()
def maintenance(data_dir: DataDir = None) -> None:
    """Rewrite the database so it keeps no order of writing (locks every table briefly)."""
    momo = _open(data_dir)
    try:
        with console.status("rewriting every table in random-key order"):
            rows = momo.maintenance()
    finally:
        momo.close()
    console.print(f"rewrote {rows} rows; no insertion order, row versions or WAL remain")


@app.command()
def demo(
    notes: Annotated[int, typer.Option(min=1, max=20000, help="How many notes")] = 500,
    accounts: Annotated[int, typer.Option(min=2, max=5000, help="How many voices")] = 160,
    data_dir: DataDir = None,
) -> None:
    """Seed a realistic bilingual community (notes, images, comments, likes)."""
    from momo.demo import seed

    columns = (TextColumn("seeding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("notes", total=notes)
        report = seed(
            _settings(data_dir),
            notes=notes,
            accounts=accounts,
            progress=lambda done, total: progress.update(task, completed=done),
        )
    console.print(
        f"seeded {report.notes} notes, {report.comments} comments and {report.likes} likes "
        f"from {report.accounts} accounts"
    )


@app.command()
def export(
    out_dir: Annotated[Path, typer.Argument(help="Folder to write into")],
    public: Annotated[bool, typer.Option("--public", help="What anonymous visitors see")] = False,
    research: Annotated[
        bool, typer.Option("--research", help="Masked dataset with voices, dates, dictionary")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Export data as JSON Lines."""
    from momo.content.export import mask, write_public, write_research
    from momo.context.export import DATA_DICTIONARY, write_context_notes

    if public == research:
        console.print("[red]choose one kind of export: --public or --research[/red]")
        raise typer.Exit(2)
    momo = _open(data_dir)
    if public:
        count = write_public(momo.db, momo.notes, momo.time, out_dir)
        contexts = write_context_notes(momo.context_notes, out_dir)
        console.print(f"wrote {count} notes and {contexts} context notes to {out_dir}")
        return
    notes, comments = write_research(momo.db, momo.notes, momo.time, out_dir)
    contexts = write_context_notes(momo.context_notes, out_dir, mask)
    with (out_dir / "DATA_DICTIONARY.md").open("a", encoding="utf-8") as dictionary:
        dictionary.write(DATA_DICTIONARY)
    console.print(
        f"wrote {notes} notes, {comments} comments and {contexts} context notes, masked, to {out_dir}"
    )


@privacy_app.command("scan")
def privacy_scan() -> None:
    """Find personal data: JSON Lines {"id", "text"} on stdin, findings on stdout."""
    import sys

    from momo.privacy.pii_cli import scan_lines

    failures = scan_lines(sys.stdin.buffer, sys.stdout)
    if failures:
        Console(stderr=True).print(f"[yellow]{failures} line(s) could not be scanned[/yellow]")
        raise typer.Exit(1)


audit_app = typer.Typer(help="Measure how anonymous people really are.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("corpus")
def audit_corpus(
    corpus: Annotated[Path, typer.Argument(help='JSON Lines of {"id", "author", "text"}')],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the figures as JSON")
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained report")
    ] = None,
    folds: Annotated[int, typer.Option(min=2, max=10)] = 5,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic metadata model")] = 7,
) -> None:
    """Attack a corpus under three identity regimes, channel by channel."""
    from momo.audit.corpus import CorpusError, load
    from momo.audit.report import print_tables, write_html, write_json
    from momo.audit.run import audit

    try:
        posts = load(corpus)
    except CorpusError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    steps = ("writing style", "profile", "momo-xhs", "momo")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("attacking", total=len(steps))
        try:
            result = audit(
                posts,
                seed=seed,
                folds=folds,
                progress=lambda label: progress.update(
                    task, advance=1, description=f"done: {label}"
                ),
            )
        except CorpusError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
    print_tables(result, console)
    if json_out:
        write_json(result, json_out)
        console.print(f"wrote {json_out}")
    if html_out:
        write_html(result, html_out, corpus.name)
        console.print(f"wrote {html_out}")


@audit_app.command("instance")
def audit_instance(
    data_dir: DataDir = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write aggregate figures")] = None,
) -> None:
    """Attack a live instance's public export; the seal supplies the ground truth.

    Only aggregate figures are printed or written: never which person wrote what."""
    from momo.audit.corpus import CorpusError
    from momo.audit.live import collect, forensic_links, row_order
    from momo.audit.report import print_tables, write_json
    from momo.audit.run import audit_public

    momo = _open(data_dir)
    with console.status("reading the public export and opening seals in memory"):
        try:
            posts, views = collect(momo.db, momo.notes, momo.sealer, momo.time, momo.media.read)
        except CorpusError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
    with console.status(f"attacking {len(posts)} public posts"):
        try:
            result = audit_public(posts, views, regime="momo")
        except CorpusError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
    print_tables(result, console)
    with console.status("reading the storage as a thief with a copy would"):
        storage = forensic_links(
            momo.settings.resolved_database_url, momo.db, {p.id: p.author for p in posts}
        )
    if storage["label"] == "measured" and "pairs_linked" in storage:
        console.print(
            f"Storage ({storage['source']}): {storage['items_located']} of {storage['items']} "
            f"items located, {storage['pairs_linked']} pairs linked, "
            f"{storage['same_author_pairs_linked']} of them by the same author."
        )
    else:
        console.print(f"Storage ({storage['source']}): {storage['label']}: {storage['result']}")
    order = row_order(momo.db, {p.id: p.author for p in posts})
    if "neighbours_same_author" in order:
        console.print(
            f"Row order: neighbouring rows share an author {order['neighbours_same_author']:.1%} "
            f"of the time, against {order['by_chance']:.1%} by chance."
        )
    if json_out:
        write_json(result, json_out)
        payload = json.loads(json_out.read_text(encoding="utf-8"))
        payload["storage"] = storage
        payload["row_order"] = order
        json_out.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
        console.print(f"wrote {json_out}")


@audit_app.command("threats")
def audit_threats(
    corpus: Annotated[Path, typer.Argument(help='JSON Lines of {"id", "author", "text"}')],
    other_domain: Annotated[
        Path | None,
        typer.Option("--other-domain", help="The same authors writing another genre"),
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the figures")] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write a self-contained report")
    ] = None,
) -> None:
    """Open-world attribution, unsupervised linking, cross-domain attribution, and
    curves over suspects and samples per author: the threats beyond a closed world."""
    from momo.audit.corpus import CorpusError, load
    from momo.audit.threats import assess, describe

    try:
        posts = load(corpus)
        other = load(other_domain) if other_domain else None
        with console.status("attacking"):
            threats = assess(posts, other_domain=other)
    except CorpusError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    for line in describe(threats):
        console.print(line, highlight=False)
    if json_out:
        json_out.write_text(json.dumps(threats.as_dict(), ensure_ascii=False, indent=2) + "\n")
        console.print(f"wrote {json_out}")
    if html_out:
        from momo.audit.report import write_threats_html

        write_threats_html(threats, html_out, corpus.name)
        console.print(f"wrote {html_out}")


@audit_app.command("xhs-capture")
def audit_xhs_capture(
    capture: Annotated[Path, typer.Argument(help="A Zeeschuimer NDJSON export (RedNote)")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the figures")] = None,
) -> None:
    """Measure the real momo regime on Xiaohongshu from your own capture: how many
    accounts wear the persona, and what still singles them out."""
    from momo.audit.corpus import CorpusError
    from momo.audit.xhs import describe, measure, read_capture

    try:
        regime = measure(read_capture(capture))
    except CorpusError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    for sentence in describe(regime):
        console.print(sentence)
    if regime.skipped_lines:
        skipped = ", ".join(f"{n} {why}" for why, n in regime.skipped_lines.items())
        console.print(f"[yellow]skipped lines: {skipped}[/yellow]")
    if json_out:
        json_out.write_text(json.dumps(regime.as_dict(), ensure_ascii=False, indent=2) + "\n")
        console.print(f"wrote {json_out}")


client_app = typer.Typer(help="Talk to a running Momo server.", no_args_is_help=True)
app.add_typer(client_app, name="client")


@client_app.command("signup")
def client_signup(
    server: Annotated[str, typer.Option(help="Base URL of the server")] = "http://127.0.0.1:8000",
    invite_code: Annotated[str | None, typer.Option(help="For invite-only servers")] = None,
) -> None:
    """Create an account from a script: solves the proof-of-work, prints the account key."""
    import httpx

    from momo.identity.proof_of_work import solve

    with httpx.Client(base_url=server, timeout=30) as http:
        body: dict[str, object] = {}
        if invite_code:
            body["invite_code"] = invite_code
        else:
            challenge = http.get("/api/pow").json()
            with console.status(f"solving a {challenge['difficulty']}-bit proof-of-work"):
                nonce = solve(challenge["challenge"], challenge["difficulty"])
            body["pow"] = {"challenge": challenge["challenge"], "nonce": nonce}
        response = http.post("/api/accounts", json=body)
    if response.status_code != 201:
        console.print(
            f"[red]{response.json().get('error', {}).get('message', response.text)}[/red]"
        )
        raise typer.Exit(1)
    console.print(response.json()["account_key"])
    console.print("[yellow]Shown once. Keep it safe: it cannot be recovered.[/yellow]")


@admin_app.command("grant")
def grant(
    role: Annotated[str, typer.Argument(help="moderator or admin")],
    data_dir: DataDir = None,
) -> None:
    """Make an account a moderator or admin. The account key is read from standard
    input or a hidden prompt, never from the command line (which shell history and
    the process list keep)."""
    _set_role(role, _read_key(), data_dir)


@admin_app.command("revoke")
def revoke(data_dir: DataDir = None) -> None:
    """Return an account to an ordinary member (key from standard input or a prompt)."""
    _set_role("member", _read_key(), data_dir)


def _read_key() -> str:
    import sys

    if sys.stdin.isatty():
        key: str = typer.prompt("account key", hide_input=True)
        return key.strip()
    return sys.stdin.readline().strip()


def _set_role(role: str, account_key: str, data_dir: Path | None) -> None:
    momo = _open(data_dir)
    try:
        momo.accounts.set_role(account_key, role)
    except MomoError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error
    finally:
        momo.close()
    console.print(f"the account is now: {role}")
