"""The ``agentpaas`` command: ``dev`` runs everything; the rest serve split deployments."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from temporalio.client import Client

from platform_core.settings import Settings, get_settings

if TYPE_CHECKING:
    import socket

    from fastapi import FastAPI

logger = logging.getLogger("agentpaas")


@dataclass
class Endpoints:
    """Where the running services are."""

    admin_url: str
    app_url: str
    temporal_address: str


class CliError(RuntimeError):
    """A problem the user can fix; printed without a traceback."""


def _setup_logging(settings: Settings) -> None:
    from agentpaas.logging_setup import configure_logging

    configure_logging(settings.log_level)


def _setup_observability(settings: Settings, command: str) -> None:
    """Tracing (exported only when ``OTEL_*`` say where) and the optional metrics ports."""
    from platform_api.observability.metrics import (
        install_temporal_sdk_metrics,
        serve_worker_metrics,
    )
    from platform_api.observability.tracing import configure_tracing

    configure_tracing(f"agentpaas-{command}")
    try:
        if settings.temporal_metrics_port and command in ("dev", "api", "worker"):
            install_temporal_sdk_metrics(settings.metrics_host, settings.temporal_metrics_port)
        if settings.worker_metrics_port and command == "worker":
            serve_worker_metrics(settings.metrics_host, settings.worker_metrics_port)
    except (OSError, RuntimeError) as exc:
        raise CliError(
            f"cannot serve metrics: {exc} (AGENTPAAS_TEMPORAL_METRICS_PORT and "
            "AGENTPAAS_WORKER_METRICS_PORT move them)"
        ) from exc


async def _database(settings: Settings, data_dir: Path) -> tuple[str, str]:
    from agentpaas.runtime.postgres import (
        DATABASE_NAME,
        prepare_database,
        start_embedded_postgres,
    )

    password = settings.app_db_password.get_secret_value()
    if settings.database_url:
        if not settings.database_admin_url:
            raise CliError("AGENTPAAS_DATABASE_ADMIN_URL is required with AGENTPAAS_DATABASE_URL")
        from migrations import runner

        await asyncio.to_thread(runner.upgrade, settings.database_admin_url)
        return settings.database_admin_url, settings.database_url
    server_url = await asyncio.to_thread(start_embedded_postgres, data_dir / "postgres")
    urls = await prepare_database(server_url, DATABASE_NAME, password)
    return urls.admin_url, urls.app_url


async def run_dev(settings: Settings) -> None:
    """Start PostgreSQL, Temporal, the API and a worker under one data directory."""
    from agentpaas.runtime.ports import PortInUse, ensure_port_free, reserve_port

    data_dir = settings.resolved_data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        # Held until uvicorn serves on it, seconds later: meanwhile a child process picking
        # an ephemeral port (Temporal's internal services) could take it otherwise.
        api_socket = reserve_port(
            settings.api_port, "the API", host=settings.api_host, env_hint="AGENTPAAS_API_PORT"
        )
        if not settings.temporal_address:
            ensure_port_free(settings.temporal_port, "Temporal", env_hint="AGENTPAAS_TEMPORAL_PORT")
            ensure_port_free(
                settings.temporal_ui_port, "the Temporal UI", env_hint="AGENTPAAS_TEMPORAL_UI_PORT"
            )
    except PortInUse as exc:
        raise CliError(str(exc)) from exc
    with api_socket:
        await _run_dev(settings, data_dir, api_socket)


async def _run_dev(settings: Settings, data_dir: Path, api_socket: socket.socket) -> None:
    """``run_dev`` once the ports are checked, serving the API on ``api_socket``."""
    import uvicorn

    from agentpaas.bundled_tools import discover_when_serving, prepare_bundled_tools
    from agentpaas.demo_knowledge import ingest_demo_knowledge
    from agentpaas.runtime.temporal_server import DATABASE_FILE, TemporalDevServer
    from agentpaas.runtime.vectors import open_qdrant
    from agentpaas.seed import seed_all
    from agentpaas.worker import build_worker, ensure_schedules
    from platform_api.app import create_app
    from platform_core.db import Database

    admin_url, app_url = await _database(settings, data_dir)
    seeded = await seed_all(admin_url, settings)
    # Before the worker is built: it reads the outbound allow-list once.
    bundled_tools = await prepare_bundled_tools(
        admin_url=admin_url, settings=settings, tenant_id=seeded.tenant_id
    )

    temporal_server = None
    address = settings.temporal_address
    if not address:
        temporal_server = TemporalDevServer(
            data_dir / DATABASE_FILE,
            port=settings.temporal_port,
            ui_port=settings.temporal_ui_port,
            namespace=settings.temporal_namespace,
        )
        await asyncio.to_thread(temporal_server.start, data_dir / "temporal.log")
        address = temporal_server.address
    try:
        client = await _connect_when_ready(address, settings.temporal_namespace)
        worker_db = Database(app_url)
        # One Qdrant client for the API and the worker: local mode locks its directory.
        qdrant = open_qdrant(url=settings.qdrant_url, data_dir=data_dir)
        worker = build_worker(client, worker_db, settings.temporal_task_queue, qdrant=qdrant)
        await ensure_schedules(client, settings)
        app = create_app(
            settings,
            database_url=app_url,
            temporal_address=address,
            temporal_client=client,
            qdrant=qdrant,
        )
        server = uvicorn.Server(
            uvicorn.Config(app, host=settings.api_host, port=settings.api_port, log_level="warning")
        )
        # The dev console stays as quiet as uvicorn's warning level kept it: no access lines.
        logging.getLogger("agentpaas.access").setLevel(logging.WARNING)
        _print_banner(settings, seeded.admin_email, temporal_server is not None)
        worker_task = asyncio.create_task(worker.run())
        discovering = asyncio.create_task(
            discover_when_serving(
                admin_url=admin_url,
                settings=settings,
                tenant_id=seeded.tenant_id,
                is_serving=lambda: bool(server.started),
            )
            if bundled_tools
            else asyncio.sleep(0)
        )
        # The demo handbook's documents are indexed by the worker that just started.
        ingesting = asyncio.create_task(
            ingest_demo_knowledge(
                client=client, database=worker_db, settings=settings, tenant_id=seeded.tenant_id
            )
        )
        try:
            await server.serve(sockets=[api_socket])
        finally:
            print("\nStopping…", flush=True)
            discovering.cancel()
            ingesting.cancel()
            await worker.shutdown()
            worker_task.cancel()
            await worker_db.dispose()
            await qdrant.close()
    finally:
        if temporal_server is not None:
            await asyncio.to_thread(temporal_server.stop)


async def _connect_when_ready(address: str, namespace: str, attempts: int = 60) -> Client:
    """Connect once the frontend answers: its port opens a moment before it is healthy."""
    from temporal_workflows.client import connect_temporal

    for attempt in range(attempts):
        try:
            client = await connect_temporal(address, namespace)
            await client.service_client.check_health()
            return client
        except Exception:  # the frontend's "not healthy yet" and connection errors alike
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(0.5)
    raise CliError(f"Temporal at {address} did not become healthy")


def _print_banner(settings: Settings, admin_email: str, local_temporal: bool) -> None:
    base = f"http://{settings.api_host}:{settings.api_port}"
    lines = [
        "",
        "AgentPaaS is running.",
        f"  Web UI and API : {base}/",
        f"  API docs       : {base}/docs",
        f"  Health         : {base}/api/v1/health",
        f"  Qdrant         : {settings.qdrant_url or 'local mode under the data directory'}",
    ]
    if local_temporal:
        lines.append(f"  Temporal UI    : http://127.0.0.1:{settings.temporal_ui_port}/")
    lines += [
        f"  Data directory : {settings.resolved_data_dir}",
        f"  Demo login     : {admin_email} / {settings.demo_admin_password.get_secret_value()}"
        f"  (tenant '{settings.demo_tenant}')",
        "Press Ctrl-C to stop.",
        "",
    ]
    print("\n".join(lines), flush=True)


def _require(value: str | None, name: str) -> str:
    if not value:
        raise CliError(f"{name} must be set for this command")
    return value


async def run_api(settings: Settings) -> None:
    """Serve the API only (split deployment)."""
    import uvicorn

    from agentpaas.runtime.vectors import open_qdrant
    from platform_api.app import create_app

    # The API reaches Qdrant only for its health check (workers do the vector work), and
    # only a Qdrant server: local mode belongs to the worker's process.
    qdrant = (
        open_qdrant(url=settings.qdrant_url, data_dir=settings.resolved_data_dir)
        if settings.qdrant_url
        else None
    )
    app = create_app(
        settings,
        database_url=_require(settings.database_url, "AGENTPAAS_DATABASE_URL"),
        temporal_address=_require(settings.temporal_address, "AGENTPAAS_TEMPORAL_ADDRESS"),
        qdrant=qdrant,
    )
    # uvicorn's own logs go through the JSON handler; the access log is the middleware's
    # (route template, status, duration, request id and trace id).
    config = uvicorn.Config(
        app, host=settings.api_host, port=settings.api_port, log_config=None, access_log=False
    )
    await uvicorn.Server(config).serve()


async def run_worker(settings: Settings) -> None:
    """Run a worker only (split deployment)."""
    from agentpaas.runtime.vectors import open_qdrant
    from agentpaas.worker import build_worker, ensure_schedules
    from platform_core.db import Database
    from temporal_workflows.client import connect_temporal

    client = await connect_temporal(
        _require(settings.temporal_address, "AGENTPAAS_TEMPORAL_ADDRESS"),
        settings.temporal_namespace,
    )
    database = Database(_require(settings.database_url, "AGENTPAAS_DATABASE_URL"))
    # A Qdrant server when AGENTPAAS_QDRANT_URL is set (several workers), else local mode.
    qdrant = open_qdrant(url=settings.qdrant_url, data_dir=settings.resolved_data_dir)
    worker = build_worker(client, database, settings.temporal_task_queue, qdrant=qdrant)
    await ensure_schedules(client, settings)
    logger.info("worker polling %s", settings.temporal_task_queue)
    try:
        await worker.run()
    finally:
        await database.dispose()
        await qdrant.close()


async def run_migrate(settings: Settings) -> None:
    """Apply migrations with the owner's URL."""
    from migrations import runner

    await asyncio.to_thread(
        runner.upgrade, _require(settings.database_admin_url, "AGENTPAAS_DATABASE_ADMIN_URL")
    )


async def run_seed(settings: Settings) -> None:
    """Seed node types, templates, categories and the demo tenant."""
    from agentpaas.seed import seed_all

    await seed_all(_require(settings.database_admin_url, "AGENTPAAS_DATABASE_ADMIN_URL"), settings)


async def run_rewrap_credentials(settings: Settings) -> None:
    """Re-seal every tenant's provider credentials, identity-provider client secrets and
    users' personal model keys under the current master key."""
    from platform_api.auth.oidc_settings import rewrap_client_secrets
    from platform_api.personal_keys.service import rewrap_personal_keys
    from platform_api.providers.service import rewrap_credentials
    from platform_core.crypto import key_ring_from_settings
    from platform_core.db import Database

    ring = key_ring_from_settings(settings)
    url = _require(settings.database_admin_url, "AGENTPAAS_DATABASE_ADMIN_URL")
    database = Database(url, connections=2)
    try:
        # As the tables' owner: every tenant's rows, in one transaction.
        async with database.system_session() as session:
            changed = await rewrap_credentials(session=session, ring=ring)
            changed += await rewrap_client_secrets(session=session, ring=ring)
            changed += await rewrap_personal_keys(session=session, ring=ring)
    finally:
        await database.dispose()
    print(f"re-wrapped {changed} credential(s) under master key {ring.current.key_id}")


def _embedded_data_dir(settings: Settings, command: str) -> Path:
    """The data directory, refusing external services (their backup is theirs: README)."""
    external = [
        name
        for name, value in (
            ("AGENTPAAS_DATABASE_URL", settings.database_url),
            ("AGENTPAAS_TEMPORAL_ADDRESS", settings.temporal_address),
            ("AGENTPAAS_QDRANT_URL", settings.qdrant_url),
        )
        if value
    ]
    if external:
        raise CliError(
            f"`agentpaas {command}` covers the embedded mode; with {', '.join(external)} set, "
            "back up those services themselves (README: Backup and restore)"
        )
    return settings.resolved_data_dir


def run_backup(settings: Settings, directory: str) -> None:
    """Back up the embedded platform's data directory into ``directory`` (it may be running)."""
    from agentpaas.runtime.backup import BackupError, back_up
    from agentpaas.runtime.backup_stores import StoreCopyFailed

    data_dir = _embedded_data_dir(settings, "backup")
    target = Path(directory).expanduser().resolve()
    try:
        manifest = back_up(data_dir, target, progress=lambda line: print(f"  {line}", flush=True))
    except (BackupError, StoreCopyFailed) as exc:
        raise CliError(str(exc)) from exc
    print(
        f"Backed up {data_dir} into {target} "
        f"(stores copied within {manifest['window_seconds']} s of each other; "
        f"platform {'running' if manifest['platform_was_running'] else 'stopped'})."
    )


def run_restore(settings: Settings, directory: str, *, force: bool) -> None:
    """Restore a backup into the data directory (new or empty, or ``force``)."""
    from agentpaas.runtime.backup import BackupError, restore
    from agentpaas.runtime.backup_stores import StoreCopyFailed

    data_dir = _embedded_data_dir(settings, "restore")
    # The schema check reads the migrations; alembic logs its set-up at INFO, noise here.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    source = Path(directory).expanduser().resolve()
    try:
        manifest = restore(
            source,
            data_dir,
            force=force,
            progress=lambda line: print(f"  {line}", flush=True),
        )
    except (BackupError, StoreCopyFailed) as exc:
        raise CliError(str(exc)) from exc
    print(
        f"Restored the backup of {manifest['started_at']} into {data_dir}; "
        f"start it with AGENTPAAS_DATA_DIR={data_dir} agentpaas dev"
    )


def openapi_text(app: FastAPI) -> str:
    """The app's OpenAPI document as stable JSON: sorted keys, two-space indent, final newline.

    Sorted keys make the committed snapshot (``ui/openapi.json``) change only when the API does,
    whatever order routers and models were declared in.
    """
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_openapi(output: str) -> None:
    """Write the API's OpenAPI document to ``output`` (``-``: standard output).

    Builds the app without starting or reaching anything: the URLs are placeholders and the
    settings are the built-in defaults, not the environment, because the document is the
    code's alone (the UI's generated types come from it).
    """
    from platform_api.app import create_app

    app = create_app(
        Settings.model_construct(),
        database_url="postgresql://nobody@127.0.0.1:1/none",
        temporal_address="127.0.0.1:1",
        ui_dist=None,
    )
    text = openapi_text(app)
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


COMMANDS = {
    "dev": run_dev,
    "api": run_api,
    "worker": run_worker,
    "migrate": run_migrate,
    "seed": run_seed,
    "rewrap-credentials": run_rewrap_credentials,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``agentpaas`` console script."""
    parser = argparse.ArgumentParser(prog="agentpaas", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("dev", help="run PostgreSQL, Temporal, the API and a worker locally")
    sub.add_parser("api", help="run the API (needs AGENTPAAS_DATABASE_URL, _TEMPORAL_ADDRESS)")
    sub.add_parser("worker", help="run a worker (needs AGENTPAAS_DATABASE_URL, _TEMPORAL_ADDRESS)")
    sub.add_parser("migrate", help="apply migrations (needs AGENTPAAS_DATABASE_ADMIN_URL)")
    sub.add_parser("seed", help="seed node types, templates and the demo tenant")
    sub.add_parser(
        "rewrap-credentials",
        help="after a master key rotation: re-seal provider keys under AGENTPAAS_MASTER_KEY "
        "(old keys in AGENTPAAS_PREVIOUS_MASTER_KEYS; needs AGENTPAAS_DATABASE_ADMIN_URL)",
    )
    backup = sub.add_parser(
        "backup",
        help="copy the embedded platform's PostgreSQL, Temporal and Qdrant data into DIR "
        "(also while it runs)",
    )
    backup.add_argument("directory", metavar="DIR", help="a new or empty directory")
    restore = sub.add_parser(
        "restore", help="restore a backup from DIR into the data directory (new or empty)"
    )
    restore.add_argument("directory", metavar="DIR", help="a directory `backup` wrote")
    restore.add_argument(
        "--force",
        action="store_true",
        help="restore over a non-empty data directory (its contents are moved aside)",
    )
    openapi = sub.add_parser(
        "openapi", help="write the API's OpenAPI document (no configuration, starts nothing)"
    )
    openapi.add_argument("--output", "-o", default="-", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.command == "openapi":
        # Before the settings are read: the document does not depend on the environment.
        write_openapi(args.output)
        return 0
    try:
        settings = get_settings()
    except Exception as exc:  # pydantic's ValidationError: show it, not a traceback
        print(f"agentpaas: invalid configuration:\n{exc}", file=sys.stderr)
        return 2
    _setup_logging(settings)
    try:
        if args.command == "backup":
            run_backup(settings, args.directory)
        elif args.command == "restore":
            run_restore(settings, args.directory, force=args.force)
        else:
            _setup_observability(settings, args.command)
            asyncio.run(COMMANDS[args.command](settings))
    except CliError as exc:
        print(f"agentpaas: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
