"""Which llm replies are words for the user, and which are a step's internal output."""

from __future__ import annotations

from node_types import llm


def test_a_reply_that_joins_the_conversation_speaks_to_the_user() -> None:
    assert llm.speaks_to_user({})  # the default appends to the conversation
    assert llm.speaks_to_user({"output_key": "summary"})  # both: still said to the user


def test_a_reply_that_only_fills_an_output_key_is_internal() -> None:
    assert not llm.speaks_to_user({"append_to_messages": False, "output_key": "proposal"})
