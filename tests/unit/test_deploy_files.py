"""The deployment files say what deploy/README.md says they do (no Docker engine is needed:
their structure is read, not run)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from bot.web.metrics import Metrics

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose() -> dict[str, object]:
    loaded = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_has_two_replicas_postgres_redis_and_nginx() -> None:
    services = compose()["services"]
    assert isinstance(services, dict)
    assert {"postgres", "redis", "migrate", "bot1", "bot2", "nginx"} <= set(services)
    for name in ("bot1", "bot2"):
        bot = services[name]
        env = bot["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert env["REDIS_URL"].startswith("redis://")
        assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["python", "-m", "bot", "migrate"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["nginx"]["volumes"]


def test_nginx_proxies_the_webhook_and_healthz_to_both_replicas() -> None:
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert conf.count("{") == conf.count("}")
    for upstream in ("bot_web", "bot_health"):
        block = re.search(rf"upstream {upstream} \{{(.*?)\}}", conf, re.S)
        assert block is not None
        assert {"bot1", "bot2"} <= set(re.findall(r"server (bot\d):", block.group(1)))
    assert re.search(r"location = /webhook \{.*?proxy_pass http://bot_web;", conf, re.S)
    assert re.search(r"location = /healthz \{\s*proxy_pass http://bot_health;", conf)
    assert "/metrics" not in re.sub(r"#.*", "", conf)


def test_the_image_runs_unprivileged_migrates_then_starts() -> None:
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert lines[[i for i, line in enumerate(lines) if line.startswith("CMD ")][-1]] == (
        'CMD ["sh", "-c", "python -m bot migrate && exec python -m bot run"]'
    )
    copied = {line.split()[1] for line in lines if line.startswith("COPY ")}
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()} - {
        "tests",
        "bench",
    }
    assert packages <= copied  # every package of the bot is in the image


def test_the_systemd_unit_migrates_then_runs_and_stops_gently() -> None:
    unit = (DEPLOY / "olymp-bot@.service").read_text(encoding="utf-8")
    assert re.search(r"^ExecStartPre=.* -m bot migrate$", unit, re.M)
    assert re.search(r"^ExecStart=.* -m bot run$", unit, re.M)
    assert "KillSignal=SIGTERM" in unit
    assert re.search(r"^User=(?!root)\w+", unit, re.M)


def test_the_dashboard_reads_only_metrics_the_bot_exports() -> None:
    exported = {metric.name for metric in Metrics().registry.collect()}
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text(encoding="utf-8"))
    exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = {re.sub(r"_(total|bucket|count|sum)$", "", name)
            for e in exprs for name in re.findall(r"\bbot_[a-z_0-9]+", e)}  # fmt: skip
    assert used and used <= exported
