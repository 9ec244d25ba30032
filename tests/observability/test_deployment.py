"""The scale-out deployment: compose file, its configs, the image and the dashboard agree.

`docker-compose config` validates the compose file without a Docker engine (Debian's
docker-compose package; `make test` installs it when missing).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY
from prometheus_client.metrics import MetricWrapperBase

import activities.metrics as worker_metrics
import platform_api.observability.metrics as api_metrics
from agentpaas.runtime.temporal_server import performance_flags
from temporal_workflows.contracts import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DEPLOY = ROOT / "deploy"
DASHBOARD = DEPLOY / "grafana/dashboards/agentpaas.json"
SCALED = ("api", "worker")


def _compose(env_file: Path) -> subprocess.CompletedProcess[str]:
    # Only PATH from the outside: a developer's own variables must not fill the blanks.
    return subprocess.run(
        ["docker-compose", "--env-file", str(env_file), "-f", str(COMPOSE), "config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": os.environ["PATH"]},
    )


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """The compose file as docker-compose resolves it with the example .env."""
    result = _compose(DEPLOY / "compose.env.example")
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = yaml.safe_load(result.stdout)
    return config


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """Target -> source of a service's volumes (short ``src:dst[:mode]`` or long form)."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            mounts[volume["target"]] = volume["source"]
        else:
            source, target = volume.split(":")[:2]
            mounts[target] = source
    return mounts


def test_compose_refuses_to_start_without_the_secrets(tmp_path: Path) -> None:
    empty = tmp_path / "empty.env"
    empty.write_text("")
    result = _compose(empty)
    assert result.returncode != 0
    assert "in .env" in result.stderr


def _readme_services() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Scale-out with Docker Compose", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.MULTILINE)


def test_every_service_the_readme_names_is_in_the_compose_file(compose: dict[str, Any]) -> None:
    named = _readme_services()
    assert {"postgres", "temporal", "temporal-ui", "qdrant", "api", "worker"} <= set(named)
    assert {"otel-collector", "jaeger", "prometheus", "grafana"} <= set(named)
    assert set(named) == set(compose["services"]), "README table and compose file differ"


def test_api_and_workers_scale_without_clashes(compose: dict[str, Any]) -> None:
    for name in SCALED:
        service = compose["services"][name]
        assert "container_name" not in service, name
        assert "ports" not in service, f"{name} publishes a host port: it cannot scale"
        env = service["environment"]
        assert env["AGENTPAAS_ENVIRONMENT"] == "production"
        assert env["AGENTPAAS_TEMPORAL_ADDRESS"] == "temporal:7233"
        assert env["AGENTPAAS_QDRANT_URL"].startswith("http://qdrant:")
        assert "@postgres:5432/" in env["AGENTPAAS_DATABASE_URL"]
        assert "AGENTPAAS_DATABASE_ADMIN_URL" not in env  # only migrate owns the tables
    assert compose["services"]["worker"]["command"] == ["worker"]
    assert compose["services"]["api"]["command"] == ["api"]


def test_prometheus_scrapes_every_replica_on_the_ports_they_serve(compose: dict[str, Any]) -> None:
    prometheus = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in prometheus["scrape_configs"]}

    def discovered(job: str) -> set[tuple[str, int]]:
        return {(name, sd["port"]) for sd in jobs[job]["dns_sd_configs"] for name in sd["names"]}

    api = compose["services"]["api"]["environment"]
    worker = compose["services"]["worker"]["environment"]
    assert discovered("agentpaas-api") == {("api", int(api["AGENTPAAS_API_PORT"]))}
    assert discovered("agentpaas-worker") == {
        ("worker", int(worker["AGENTPAAS_WORKER_METRICS_PORT"]))
    }
    assert discovered("temporal-sdk") == {
        ("api", int(api["AGENTPAAS_TEMPORAL_METRICS_PORT"])),
        ("worker", int(worker["AGENTPAAS_TEMPORAL_METRICS_PORT"])),
    }
    for service in SCALED:
        env = compose["services"][service]["environment"]
        assert env["AGENTPAAS_METRICS_HOST"] == "0.0.0.0"
    server = compose["services"]["temporal"]["environment"]["PROMETHEUS_ENDPOINT"]
    assert jobs["temporal-server"]["static_configs"][0]["targets"] == [
        "temporal:" + server.rsplit(":", 1)[1]
    ]


def test_spans_flow_from_the_services_through_the_collector_to_jaeger(
    compose: dict[str, Any],
) -> None:
    collector = yaml.safe_load((DEPLOY / "otel-collector.yaml").read_text())
    http = collector["receivers"]["otlp"]["protocols"]["http"]["endpoint"]
    for name in (*SCALED, "migrate"):
        endpoint = compose["services"][name]["environment"]["OTEL_EXPORTER_OTLP_ENDPOINT"]
        assert endpoint == "http://otel-collector:" + http.rsplit(":", 1)[1]
    pipeline = collector["service"]["pipelines"]["traces"]
    exporter = collector["exporters"][pipeline["exporters"][0]]
    assert exporter["endpoint"].split(":")[0] == "jaeger"
    assert compose["services"]["jaeger"]["environment"]["COLLECTOR_OTLP_ENABLED"] == "true"


def test_temporal_runs_on_the_postgres_with_fast_dispatch_and_the_search_attributes(
    compose: dict[str, Any],
) -> None:
    temporal = compose["services"]["temporal"]
    assert temporal["environment"]["DB"] == "postgres12"
    assert temporal["environment"]["POSTGRES_SEEDS"] == "postgres"
    mounted = _mounts(temporal)
    target = "/etc/temporal/" + temporal["environment"]["DYNAMIC_CONFIG_FILE_PATH"]
    assert Path(mounted[target]) == DEPLOY / "temporal/dynamicconfig.yaml"
    dynamic = yaml.safe_load((DEPLOY / "temporal/dynamicconfig.yaml").read_text())
    # The same values `agentpaas dev` and the tests give the dev server.
    flags = performance_flags()
    expected = dict(value.split("=", 1) for value in flags[1::2])
    for key, value in expected.items():
        assert str(dynamic[key][0]["value"]).lower() == value.lower(), key
    setup = (DEPLOY / "temporal/setup-namespace.sh").read_text()
    for attribute in SEARCH_ATTRIBUTES:
        assert re.search(rf"\b{attribute.name}\b", setup), attribute.name


def test_the_image_is_multi_stage_non_root_and_serves_the_built_ui() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\S+)$", dockerfile, flags=re.MULTILINE)
    assert len(stages) >= 3, stages
    assert "npm ci" in dockerfile and "npm run build" in dockerfile
    assert re.search(r"^COPY --from=ui \S*/dist \./ui/dist$", dockerfile, flags=re.MULTILINE)
    users = re.findall(r"^USER (\S+)$", dockerfile, flags=re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert 'ENTRYPOINT ["agentpaas"]' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "ui/node_modules", ".agentpaas"} <= set(ignored)


def _exported_names() -> set[str]:
    """Every sample name the process's registry can expose (with the type's suffixes)."""
    suffixes = {
        "counter": ("_total", "_created"),
        "histogram": ("_bucket", "_count", "_sum", "_created"),
        "gauge": ("",),
    }
    return {
        family.name + suffix
        for family in REGISTRY.collect()
        for suffix in suffixes.get(family.type, ("",))
    }


def _dashboard_metric_names() -> set[str]:
    dashboard = json.loads(DASHBOARD.read_text())
    return {
        name
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
        for name in re.findall(r"\b(?:agentpaas|temporal)_[a-z0-9_]+", target["expr"])
    }


def test_the_dashboard_uses_only_metrics_the_code_exports() -> None:
    used = {name for name in _dashboard_metric_names() if name.startswith("agentpaas_")}
    missing = used - _exported_names()
    assert not missing, sorted(missing)


def test_the_dashboard_shows_every_platform_metric() -> None:
    used = _dashboard_metric_names()
    ours = [
        metric
        for module in (api_metrics, worker_metrics)
        for metric in vars(module).values()
        if isinstance(metric, MetricWrapperBase)
    ]
    assert len(ours) >= 15
    for metric in ours:
        name = metric._name  # the family name, without the type's suffixes
        assert any(used_name.startswith(name) for used_name in used), name


def test_grafana_is_provisioned_with_the_dashboard_and_both_datasources(
    compose: dict[str, Any],
) -> None:
    grafana = compose["services"]["grafana"]
    mounts = {Path(source): target for target, source in _mounts(grafana).items()}
    provider = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/dashboards/dashboards.yaml").read_text()
    )["providers"][0]
    assert mounts[DEPLOY / "grafana/dashboards"] == provider["options"]["path"]
    assert mounts[DEPLOY / "grafana/provisioning"] == "/etc/grafana/provisioning"
    sources = yaml.safe_load(
        (DEPLOY / "grafana/provisioning/datasources/datasources.yaml").read_text()
    )["datasources"]
    by_uid = {source["uid"]: source for source in sources}
    assert by_uid["prometheus"]["url"] == "http://prometheus:9090"
    assert by_uid["jaeger"]["type"] == "jaeger"
    dashboard = json.loads(DASHBOARD.read_text())
    for panel in dashboard["panels"]:
        if panel.get("targets"):
            assert panel["datasource"]["uid"] in by_uid, panel["title"]
