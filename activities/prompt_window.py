"""An ``llm`` node's prompt, fitted to the model's context window.

A chat run carries only a recent window of its conversation (the chat service bounds
it by size), so neither the run's input nor its history grows with the chat. Here the
node gets as much of the conversation as its model can take: when the window leaves
room, earlier messages of the chat's branch are loaded from the database (walking
parent links from the window's first message); then whole turns are kept, newest
first, while they fit the budget. The system prompt and the latest user turn (with the
tool calls that followed it) are always sent. Tokens are counted with litellm for the
target model, and the quota reservation is made on what this returns.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from activities.litellm_setup import litellm
from node_types import llm as llm_node
from platform_core.conversation import branch_up_to
from temporal_workflows.contracts import NodeActivityInput

# For models litellm has no figures for (the offline scripted model, a self-hosted one
# without ``context_window_tokens``): a window most current chat models have.
DEFAULT_CONTEXT_WINDOW = 32_768
# Left unspent: providers frame messages and encode tool specs each their own way.
SAFETY_MARGIN_TOKENS = 256
# Earlier messages read per query while filling the window, and at most per call.
LOAD_PAGE = 16
MAX_LOADED_MESSAGES = 400
# The roles a chat's stored messages are sent with (as the chat service sends them).
CHAT_ROLES = ("user", "assistant", "system")
# Messages whose token counts a worker remembers (counting 30,000 characters takes
# litellm tens of milliseconds; the key is a digest, so the cache stays small).
COUNT_CACHE_SIZE = 4096
_COUNTED: dict[tuple[str, bytes], int] = {}

Sessions = Callable[[str], AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True)
class HistoryLimits:
    """What the earlier conversation may take: tokens, user turns, messages."""

    tokens: int
    turns: int | None
    messages: int | None


def context_window(model: str, configured: int | None = None) -> int:
    """The model's input window in tokens: the node's setting, else litellm's, else a default."""
    if configured:
        return configured
    try:
        info = litellm.get_model_info(model)
    except Exception:  # litellm raises a bare Exception for models it does not map
        return DEFAULT_CONTEXT_WINDOW
    return int(info.get("max_input_tokens") or info.get("max_tokens") or DEFAULT_CONTEXT_WINDOW)


def message_tokens(model: str, message: dict[str, Any]) -> int:
    """One message's tokens, remembered: a chat's earlier turns are counted again each turn."""
    text = json.dumps(message, sort_keys=True, default=str)
    key = (model, hashlib.blake2b(text.encode(), digest_size=16).digest())
    tokens = _COUNTED.pop(key, None)
    if tokens is None:
        tokens = count_tokens(model, [message])
    _COUNTED[key] = tokens  # (re)inserted last: the dict is kept in least-recent order
    if len(_COUNTED) > COUNT_CACHE_SIZE:
        del _COUNTED[next(iter(_COUNTED))]
    return tokens


def count_tokens(model: str, messages: list[dict[str, Any]], tools: Any = None) -> int:
    """Tokens of ``messages`` (and tool specs) as litellm counts them for ``model``."""
    if not messages and not tools:
        return 0
    try:
        return int(litellm.token_counter(model=model, messages=messages, tools=tools or None))
    except Exception:  # unknown tokenizers: about three characters per token, rounded up
        return len(json.dumps([messages, tools], default=str)) // 3 + 1


async def fitted_messages(
    data: NodeActivityInput,
    request: dict[str, Any],
    *,
    model: str,
    max_output_tokens: int,
    sessions: Sessions,
) -> list[dict[str, Any]]:
    """The request's messages within the model's window, earlier chat history loaded if it fits."""
    cfg = {**llm_node.DEFAULT_CONFIG, **data.config}
    head, history, tail = split_prompt(request["messages"])
    if not (cfg["messages_key"] and cfg["include_history"]):
        return head + history + tail
    used = sum(message_tokens(model, m) for m in head + tail)
    if request.get("tools"):
        used += count_tokens(model, [{"role": "system", "content": ""}], request["tools"])
    limits = history_limits(cfg, model, used + max_output_tokens, len(tail))
    counted = [(m, message_tokens(model, m)) for m in history]
    # Earlier chat turns continue the state's first message, if build_request's cut kept it.
    state = [m for m in data.node_input.get(cfg["messages_key"]) or [] if isinstance(m, dict)]
    kept_first = not cfg["history_limit"] or len(state) <= int(cfg["history_limit"])
    first = _first_chat_message(state) if kept_first else None
    if first is not None and _has_room(counted, limits):
        async with sessions(data.tenant_id) as session:
            counted = await _with_earlier(session, data, first, counted, limits, model)
    return head + keep_recent_turns(counted, limits) + tail


def history_limits(cfg: dict[str, Any], model: str, taken: int, tail_length: int) -> HistoryLimits:
    """What the earlier conversation may take once ``taken`` tokens are spoken for.

    ``taken``: the system prompt, the latest turn, tool specs and the reply's max_tokens.
    """
    tokens = context_window(model, cfg["context_window_tokens"]) - taken - SAFETY_MARGIN_TOKENS
    if cfg["history_max_tokens"]:
        tokens = min(tokens, int(cfg["history_max_tokens"]))
    messages = cfg["history_limit"]
    if messages:
        # history_limit also counts the state's messages of the latest turn (all of the
        # tail but the node's own prompt), as build_request's cut does.
        messages = max(int(messages) - tail_length + (1 if cfg["prompt"] else 0), 0)
    return HistoryLimits(max(tokens, 0), cfg["history_max_turns"], messages)


def split_prompt(
    messages: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(leading system messages, earlier conversation, latest user turn onwards).

    The first and the last part are always sent; only the middle is trimmed.
    """
    start = 0
    while start < len(messages) and messages[start].get("role") == "system":
        start += 1
    last_user = next(
        (i for i in range(len(messages) - 1, start - 1, -1) if messages[i].get("role") == "user"),
        None,
    )
    if last_user is None:  # no user turn at all: keep the last message, as the model's cue
        last_user = max(start, len(messages) - 1)
    return messages[:start], messages[start:last_user], messages[last_user:]


def keep_recent_turns(
    counted: list[tuple[dict[str, Any], int]], limits: HistoryLimits
) -> list[dict[str, Any]]:
    """The newest whole turns (a user message and what followed it) that fit ``limits``.

    Whole turns keep a tool call with its results and start the history at a user message;
    the first turn that does not fit ends the history (no gaps in the conversation).
    """
    turns: list[list[tuple[dict[str, Any], int]]] = []
    for message, tokens in counted:
        if message.get("role") == "user" or not turns:
            turns.append([])
        turns[-1].append((message, tokens))
    kept: list[dict[str, Any]] = []
    used = 0
    for index, turn in enumerate(reversed(turns)):
        tokens = sum(t for _, t in turn)
        too_many = limits.turns is not None and index >= limits.turns
        too_long = limits.messages is not None and len(kept) + len(turn) > limits.messages
        if too_many or too_long or used + tokens > limits.tokens:
            break
        kept[:0] = [m for m, _ in turn]
        used += tokens
    return kept


def _has_room(counted: list[tuple[dict[str, Any], int]], limits: HistoryLimits) -> bool:
    turns = sum(1 for m, _ in counted if m.get("role") == "user")
    return (
        sum(t for _, t in counted) < limits.tokens
        and (limits.turns is None or turns < limits.turns)
        and (limits.messages is None or len(counted) < limits.messages)
    )


def _first_chat_message(messages: Any) -> uuid.UUID | None:
    """The id of the run's first message if it can be a stored chat message."""
    if not messages or not isinstance(messages, list) or not isinstance(messages[0], dict):
        return None
    try:
        return uuid.UUID(str(messages[0].get("id")))
    except ValueError:  # no id, or a run's own (a direct run's input, a node's reply)
        return None


async def _with_earlier(
    session: AsyncSession,
    data: NodeActivityInput,
    message_id: uuid.UUID,
    counted: list[tuple[dict[str, Any], int]],
    limits: HistoryLimits,
    model: str,
) -> list[tuple[dict[str, Any], int]]:
    """``counted`` with earlier messages of the run's chat prepended while there is room."""
    # Only a message of this run's own chat leads anywhere: a direct run's input naming
    # another chat's message ids gets nothing.
    parent = (
        await session.execute(
            text(
                "SELECT m.parent_message_id FROM chat_messages m "
                "JOIN workflow_executions e ON e.chat_id = m.chat_id "
                "WHERE m.id = :message AND e.execution_id = :execution"
            ),
            {"message": message_id, "execution": uuid.UUID(data.execution_id)},
        )
    ).scalar_one_or_none()
    loaded = 0
    while parent is not None and loaded < MAX_LOADED_MESSAGES and _has_room(counted, limits):
        page = await ancestors(session, parent, LOAD_PAGE)
        if not page:
            break
        parent = page[0]["parent_message_id"]
        loaded += len(page)
        # Newest first, and only while there is room: counting is the costly part (a
        # 30,000-character message takes litellm tens of milliseconds).
        for row in reversed(page):
            if not _has_room(counted, limits):
                break
            if row["role"] in CHAT_ROLES:
                message = {"role": row["role"], "content": row["content"]}
                counted.insert(0, (message, message_tokens(model, message)))
    return counted


async def ancestors(session: AsyncSession, leaf_id: uuid.UUID, limit: int) -> list[dict[str, Any]]:
    """``leaf_id`` and up to ``limit - 1`` of its ancestors, oldest first (a deleted one ends it).

    Rows are ``{"id", "parent_message_id", "role", "content"}``; the tenant's row-level
    security scopes the walk.
    """
    return await branch_up_to(session, leaf_id, limit)
