"""Definition problems at the API carry code and params; the OpenAPI document lists the codes."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from node_types.problem_codes import ProblemCode
from platform_api.app import create_app
from platform_api.definitions import compile_definition
from platform_api.errors import ValidationFailed
from platform_core.settings import Settings


def test_a_422_lists_each_problem_with_its_code_and_params() -> None:
    definition: dict[str, Any] = {
        "state": {"messages": {"type": "array", "reducer": "add_messages"}},
        "nodes": [
            {"name": "chat", "type": "llm", "config": {}},
            {"name": "router", "type": "router", "config": {}},
        ],
        "edges": [
            {"source": "__start__", "target": "chat"},
            {"source": "chat", "target": "__end__"},
            {"source": "router", "target": "__end__"},
        ],
    }
    with pytest.raises(ValidationFailed) as failed:
        compile_definition(definition, prefix="/body/workflow_definition")
    assert failed.value.errors == [
        {
            "path": "/body/workflow_definition/nodes/1",
            "message": "node 'router' is unreachable from __start__",
            "code": "node.unreachable",
            "params": {"node": "router"},
        }
    ]


def test_the_openapi_document_names_every_problem_code() -> None:
    app = create_app(
        Settings(environment="test", jwt_secret=SecretStr("k" * 40)),
        database_url="postgresql://nobody@127.0.0.1:1/none",
        temporal_address="127.0.0.1:1",
        ui_dist=None,
    )
    document = app.openapi()
    assert document["components"]["schemas"]["ProblemCode"]["enum"] == [
        c.value for c in ProblemCode
    ]
    validate = document["paths"]["/api/v1/developer/definitions/validate"]["post"]
    schema = validate["responses"]["422"]["content"]["application/problem+json"]["schema"]
    item = schema["properties"]["errors"]["items"]["properties"]
    assert item["code"] == {"$ref": "#/components/schemas/ProblemCode"}
    assert item["params"]["type"] == "object"
    assert app.openapi() is document  # built once
