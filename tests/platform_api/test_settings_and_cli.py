"""Settings refuse public secrets outside development; the CLI explains, never dumps."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from platform_core.settings import Settings


def test_production_refuses_default_secrets() -> None:
    with pytest.raises(ValidationError) as info:
        Settings(environment="production")
    message = str(info.value)
    assert "AGENTPAAS_JWT_SECRET" in message and "AGENTPAAS_MASTER_KEY" in message


def test_production_accepts_real_secrets_and_development_keeps_defaults() -> None:
    settings = Settings(
        environment="production",
        jwt_secret=SecretStr("x" * 40),
        master_key=SecretStr("ab" * 16),
        app_db_password=SecretStr("a-real-password"),
    )
    assert settings.environment == "production"
    assert Settings(environment="development").jwt_secret.get_secret_value()


def test_short_jwt_key_is_refused_everywhere() -> None:
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        Settings(environment="development", jwt_secret=SecretStr("short"))


def test_dev_with_a_taken_port_says_so_without_a_traceback(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [str(Path(sys.executable).parent / "agentpaas"), "dev"],
            env={
                "PATH": "/usr/bin:/bin",
                "AGENTPAAS_DATA_DIR": str(tmp_path),
                "AGENTPAAS_API_PORT": str(port),
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"port {port} (the API) is already in use" in result.stderr
    assert "AGENTPAAS_API_PORT" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_configuration_is_reported_cleanly(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "agentpaas"), "dev"],
        env={"PATH": "/usr/bin:/bin", "AGENTPAAS_ENVIRONMENT": "production"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "invalid configuration" in result.stderr and "Traceback" not in result.stderr
