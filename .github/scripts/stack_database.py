"""A stack's database: a preview's own, made before its deploy and dropped after its stack.

Usage:
  stack_database.py create --env-name pr-x-1a2b3c4d --database ae_pr_x_1a2b3c4d
  stack_database.py drop   --env-name pr-x-1a2b3c4d --database ae_pr_x_1a2b3c4d
  stack_database.py url    --env-name staging       (prints DATABASE_URL from the stack's secret)

PREVIEW_DATABASE_ADMIN_URL (environment, never an argument: it carries a password) is a role on
the preview Postgres server that may create databases. `create` makes the preview's database
(kept if it exists) and writes the stack's secret `asset-engine/<env-name>` in Secrets Manager:
DATABASE_URL (the admin URL with the database swapped), SECRET_KEY and DEV_SIGN_IN_CODE
generated on the first deploy and kept after, and SUPABASE_SERVICE_ROLE_KEY from
PREVIEW_SUPABASE_SERVICE_ROLE_KEY (the preview Storage bucket's key) when set. `drop` drops the database (closing its
connections) and deletes the secret at once. Only `url` prints a secret, for the migrate step
(.github/scripts/migrate.sh), which masks it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import sys
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

_DATABASE = re.compile(r"^ae_pr_[a-z0-9_]{1,57}$")  # only ever a preview's own database


def secret_name(env_name: str) -> str:
    return f"asset-engine/{env_name}"


def database_url(admin_url: str, database: str) -> str:
    if admin_url.startswith(("postgres://", "postgresql://")):
        # Keep the URL form (user, password, host, port, query) and swap the path.
        base, _, query = admin_url.partition("?")
        scheme, _, rest = base.partition("://")
        authority = rest.split("/", 1)[0]
        return f"{scheme}://{authority}/{database}" + (f"?{query}" if query else "")
    return make_conninfo(admin_url, dbname=database)


def create_database(admin_url: str, database: str) -> bool:
    """Create it unless it exists; True when created."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        if exists.fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        return True


def drop_database(admin_url: str, database: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        # The preview's Lambdas may still hold pooled connections: end them first.
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        )
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(database)))


def _client() -> Any:
    import boto3

    return boto3.client("secretsmanager")


def write_secret(env_name: str, url: str) -> None:
    client = _client()
    name = secret_name(env_name)
    try:
        current = json.loads(client.get_secret_value(SecretId=name)["SecretString"])
    except client.exceptions.ResourceNotFoundException:
        current = None
    values = {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DEV_SIGN_IN_CODE": secrets.token_urlsafe(24),
        **(current or {}),
        "DATABASE_URL": url,
    }
    # Previews paint offline but store their pictures in the shared preview Storage bucket:
    # a Lambda has no folder that outlives it or that anything serves.
    storage_key = os.environ.get("PREVIEW_SUPABASE_SERVICE_ROLE_KEY")
    if storage_key:
        values["SUPABASE_SERVICE_ROLE_KEY"] = storage_key
    if current is None:
        client.create_secret(
            Name=name,
            Description=f"asset-engine {env_name}: every secret of the preview stack",
            SecretString=json.dumps(values),
        )
    elif values != current:
        client.put_secret_value(SecretId=name, SecretString=json.dumps(values))


def delete_secret(env_name: str) -> None:
    client = _client()
    with contextlib.suppress(client.exceptions.ResourceNotFoundException):
        client.delete_secret(SecretId=secret_name(env_name), ForceDeleteWithoutRecovery=True)


def read_database_url(env_name: str) -> str:
    value = _client().get_secret_value(SecretId=secret_name(env_name))["SecretString"]
    url = json.loads(value).get("DATABASE_URL")
    if not url:
        raise SystemExit(f"the secret {secret_name(env_name)} has no DATABASE_URL")
    return str(url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["create", "drop", "url"])
    parser.add_argument("--env-name", required=True)
    parser.add_argument("--database")
    args = parser.parse_args(argv)
    if args.action == "url":
        print(read_database_url(args.env_name))
        return 0

    if not _DATABASE.fullmatch(args.database or "") or not args.env_name.startswith("pr-"):
        parser.error("only a preview's own database (ae_pr_...) and env (pr-...) are touched")
    admin_url = os.environ.get("PREVIEW_DATABASE_ADMIN_URL")
    if not admin_url:
        parser.error("PREVIEW_DATABASE_ADMIN_URL is not set")
    conninfo_to_dict(admin_url)  # a malformed URL fails here, before anything changes

    if args.action == "create":
        created = create_database(admin_url, args.database)
        write_secret(args.env_name, database_url(admin_url, args.database))
        print(
            f"database {args.database}: {'created' if created else 'kept'}; "
            f"secret {secret_name(args.env_name)} written"
        )
    else:
        drop_database(admin_url, args.database)
        delete_secret(args.env_name)
        print(f"database {args.database} dropped; secret {secret_name(args.env_name)} deleted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
