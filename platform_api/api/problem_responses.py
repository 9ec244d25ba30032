"""The error responses every route may give, as documented in the OpenAPI document.

Every error is an RFC 9457 problem document (``platform_api.errors``); listing the
4xx statuses once, app-wide, keeps the document honest about what a client can get
back (the access policy's 401/403, another tenant's id as 404, conflicts, invalid
input, quotas and rate limits).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from node_types.problem_codes import ProblemCode
from platform_api.errors import PROBLEM_JSON

# Named once in components: every error response refers to it instead of repeating the list.
PROBLEM_CODE_REF = "#/components/schemas/ProblemCode"
PROBLEM_CODE_SCHEMA: dict[str, Any] = {
    "title": "ProblemCode",
    "type": "string",
    "enum": [code.value for code in ProblemCode],
    "description": "What kind of problem a definition check found; stable, for translation.",
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "message"],
                "properties": {
                    "path": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {"$ref": PROBLEM_CODE_REF},
                    "params": {
                        "type": "object",
                        "description": "The values the message names, by the code's names.",
                    },
                },
            },
        },
    },
}

_STATUSES = {
    400: "The request cannot be processed as sent.",
    401: "Missing, invalid or revoked credentials.",
    403: "The caller's role or API-key scope does not allow this route.",
    404: "No such object in the caller's tenant.",
    409: "The object's state does not allow this now.",
    422: "The input does not match the expected shape.",
    429: "A quota or rate limit is used up; see Retry-After.",
}

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}}
    for status, text in _STATUSES.items()
}


def document_problem_codes(app: FastAPI) -> None:
    """Add the ProblemCode schema the error responses refer to to ``app``'s OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas["ProblemCode"] = PROBLEM_CODE_SCHEMA
        return app.openapi_schema or build()

    app.openapi = openapi  # type: ignore[method-assign]
