"""'Test connection' failures carry a reason code the providers page translates (issue 15)."""

from __future__ import annotations

import litellm
import pytest
from temporalio.exceptions import ApplicationError

from activities import service_probe
from activities.llm_targets import REFUSED_URL, UNREACHABLE
from platform_api.providers.schemas import ProbeReason, ServiceConfigTestResult

BASE = "http://llm.example.test/v1"
KEY = "sk-secret-key-123456"


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (litellm.AuthenticationError(f"bad key {KEY}", "openai", "m"), "unauthorized"),
        (litellm.NotFoundError("no such model", "m", "openai"), "model_not_found"),
        (litellm.RateLimitError("slow down", "openai", "m"), "rate_limited"),
        (litellm.Timeout("too slow", "m", "openai"), "timeout"),
        (litellm.APIConnectionError("refused", "openai", "m"), "unreachable"),
        (RuntimeError("something odd"), "other"),
    ],
)
def test_each_failure_has_a_reason_and_the_same_sentence(exc: Exception, reason: str) -> None:
    code, message, params = service_probe.failure_of(exc, BASE, KEY)
    assert code == reason
    assert message == service_probe.plain_reason(exc, BASE, KEY)  # the English text is unchanged
    assert KEY not in message and KEY not in str(params)  # the key is masked in both
    if reason == "timeout":
        assert params["seconds"] == int(service_probe.PROBE_TIMEOUT_SECONDS)
    if reason == "other":
        assert params["detail"] == "something odd"


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (REFUSED_URL, "refused_address"),
        (UNREACHABLE, "unreachable"),
        ("ServiceConfigUnavailable", "config_unavailable"),
    ],
)
def test_a_config_that_cannot_be_resolved_says_why(kind: str, reason: str) -> None:
    result = service_probe.resolve_failure(ApplicationError("service config 7 ...", type=kind))
    assert (result.ok, result.reason, result.params) == (
        False,
        reason,
        {"detail": "service config 7 ..."},
    )


def test_every_reason_the_worker_gives_is_one_the_api_documents() -> None:
    documented = set(ProbeReason.__args__)  # type: ignore[attr-defined]
    given = {
        service_probe.UNAUTHORIZED,
        service_probe.MODEL_NOT_FOUND,
        service_probe.RATE_LIMITED,
        service_probe.TIMEOUT,
        service_probe.UNREACHABLE,
        service_probe.REFUSED_ADDRESS,
        service_probe.CONFIG_UNAVAILABLE,
        service_probe.OTHER,
    }
    assert given == documented
    schema = ServiceConfigTestResult.model_json_schema()["properties"]["reason"]
    assert "unauthorized" in str(schema)
