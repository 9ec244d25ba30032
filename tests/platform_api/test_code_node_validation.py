"""Code nodes at the developer API: syntax errors are 422s pointing into the node's config."""

from __future__ import annotations

from typing import Any

from tests.helpers import Platform, login


def _definition(code: str) -> dict[str, Any]:
    return {
        "state": {"messages": {"reducer": "add_messages"}, "result": {}},
        "nodes": [
            {"name": "greet", "type": "transform", "config": {"assign": {"result": "1"}}},
            {
                "name": "compute",
                "type": "code",
                "config": {
                    "code": code,
                    "inputs": {"text": "last(messages).content"},
                    "output_key": "result",
                },
            },
        ],
        "edges": [
            {"source": "__start__", "target": "greet"},
            {"source": "greet", "target": "compute"},
            {"source": "compute", "target": "__end__"},
        ],
    }


async def test_a_syntax_error_is_a_422_with_the_path_and_line(platform: Platform) -> None:
    domain = platform.seeded.admin_email.split("@", 1)[1]
    headers = {"Authorization": f"Bearer {await login(platform.client, f'developer@{domain}')}"}
    broken = "def main(inputs):\n    total = 0\n    for word in inputs['text'].split()\n"
    response = await platform.client.post(
        "/api/v1/developer/definitions/validate",
        json={"workflow_definition": _definition(broken + "        total += 1\n")},
        headers=headers,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == 422
    (error,) = body["errors"]
    assert error["path"] == "/body/workflow_definition/nodes/1/config/code"
    assert error["message"].startswith("line 3, column ")
    assert "for word in inputs['text'].split()" in error["message"]
    # The code and params say the same for a client to translate (issue 15).
    assert error["code"] == "code.syntax" and error["params"]["line"] == 3

    fixed = broken.replace(".split()\n", ".split():\n") + "        total += 1\n    return total\n"
    valid = await platform.client.post(
        "/api/v1/developer/definitions/validate",
        json={"workflow_definition": _definition(fixed)},
        headers=headers,
    )
    assert valid.status_code == 200, valid.text
    assert valid.json()["nodes"] == 2
