"""Import litellm the offline way, and register the offline scripted model with it.

litellm fetches its model cost map from the internet at import unless told to use
the copy it ships; with no network that costs seconds of retries. Every module that
needs litellm imports it from here.
"""

from __future__ import annotations

import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("LITELLM_LOG", "ERROR")

import litellm  # noqa: E402  (the environment above must be set first)
from litellm.utils import custom_llm_setup  # noqa: E402

from activities.scripted_llm import SCRIPTED_PROVIDER, ScriptedLLM  # noqa: E402

litellm.telemetry = False
litellm.suppress_debug_info = True  # no "Give Feedback" banners on stdout
litellm.drop_params = True


def register_scripted_model() -> None:
    """Make ``scripted/<script>`` models resolvable through litellm (idempotent)."""
    providers = [p for p in litellm.custom_provider_map if p.get("provider") != SCRIPTED_PROVIDER]
    providers.append({"provider": SCRIPTED_PROVIDER, "custom_handler": ScriptedLLM()})
    litellm.custom_provider_map = providers
    # litellm reads the map when a call is routed; refresh its provider list too.
    if SCRIPTED_PROVIDER not in litellm.provider_list:
        litellm.provider_list.append(SCRIPTED_PROVIDER)
    custom_llm_setup()  # type: ignore[no-untyped-call]  # litellm leaves it unannotated


__all__ = ["litellm", "register_scripted_model"]
