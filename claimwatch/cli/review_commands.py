"""`claimwatch serve` and `claimwatch users ...`: the review page and who may use it."""

from __future__ import annotations

import sys

import click

from claimwatch import logs
from claimwatch.app import App
from claimwatch.cli.output import console, emit_json, escape
from claimwatch.errors import InputError


@click.command()
@click.option("--host", help="Address to listen on (default review.host, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default review.port, 8750).")
@click.pass_obj
def serve(app: App, host: str | None, port: int | None) -> None:
    """Serve the review page where analysts work the queue of flagged footage.

    Example: claimwatch serve --port 8750   (then open http://127.0.0.1:8750/)
    """
    from review.server import serve as run

    logs.configure_from(app.settings)  # requests are logged too (review/server.py)
    run(app.store, app.settings, host, port)


@click.group()
def users() -> None:
    """Analysts who may log in to the review page.

    Example: claimwatch users add zainab
    """


@users.command("add")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def users_add(app: App, name: str, password_stdin: bool) -> None:
    """Create an account; the password is asked twice (or read from stdin).

    Example: printf '%s\\n' "$PASSWORD" | claimwatch users add zainab --password-stdin
    """
    from review.accounts import add_user

    add_user(app.store, name, _password(password_stdin))
    console.print(f"user {escape(name)} created")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the accounts as JSON.")
@click.pass_obj
def users_list(app: App, as_json: bool) -> None:
    """List the accounts and when they were made.

    Example: claimwatch users list --json
    """
    accounts = [
        {"name": u.name, "created_at": u.created_at.isoformat()} for u in app.store.users.all()
    ]
    if as_json:
        emit_json(accounts)
        return
    for account in accounts or [{"name": "(no users yet)", "created_at": ""}]:
        console.print(f"{escape(account['name'])}  {account['created_at']}")


@users.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def users_password(app: App, name: str, password_stdin: bool) -> None:
    """Set a new password; the user's open sessions and API tokens stop working.

    Example: claimwatch users password zainab
    """
    from review.accounts import change_password

    change_password(app.store, name, _password(password_stdin))
    console.print(f"password of {escape(name)} changed")


@users.command("remove")
@click.argument("name")
@click.pass_obj
def users_remove(app: App, name: str) -> None:
    """Delete an account; the verdicts it gave keep its name.

    Example: claimwatch users remove zainab
    """
    app.store.users.remove(name)
    console.print(f"user {escape(name)} removed")


@users.command("sign-out")
@click.argument("name")
@click.pass_obj
def users_sign_out(app: App, name: str) -> None:
    """End every review-page session of NAME, on every browser (API tokens keep working).

    Example: claimwatch users sign-out zainab   (a laptop was lost)
    """
    app.store.users.sign_out(name)
    console.print(f"every session of {escape(name)} ended")


@users.command("token")
@click.argument("name")
@click.pass_obj
def users_token(app: App, name: str) -> None:
    """Print an API token for NAME's notebooks (valid review.api_token_days days).

    Example: curl -H "Authorization: Bearer $(claimwatch users token zainab)" \\
    http://127.0.0.1:8750/api/matches
    """
    from review.accounts import api_token

    click.echo(api_token(app.store, app.settings, name))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise InputError("no password on standard input")
        return line.rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def register(group: click.Group) -> None:
    group.add_command(serve)
    group.add_command(users)
