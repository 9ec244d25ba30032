"""The e-mail subject and text of each notification kind, in zh-CN and en.

The web UI renders the same kinds from its own locale files; this is the worker's copy
for e-mail. Unknown kinds fall back to a generic sentence, never to raw data.
"""

from __future__ import annotations

from typing import Any

# kind -> language -> (subject, text); ``{name}`` placeholders come from the data.
TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "task_assigned": {
        "en": ("A task waits for you", "A run of {agent_name} needs your input: {node_name}."),
        "zh-CN": ("有任务等待您处理", "{agent_name} 的一次运行需要您的输入：{node_name}。"),
    },
    "task_escalated": {
        "en": ("A task was escalated to you", "A task of {agent_name} was escalated and waits."),
        "zh-CN": ("任务已升级给您", "{agent_name} 的一个任务已升级，正在等待处理。"),
    },
    "task_deadline_near": {
        "en": ("A task's deadline is near", "A task of {agent_name} still waits for your answer."),
        "zh-CN": ("任务即将到期", "{agent_name} 的一个任务仍在等待您的答复，即将到期。"),
    },
    "submission_approved": {
        "en": ("Version approved", "Version {version} of {agent_name} was approved and published."),
        "zh-CN": ("版本已通过审核", "{agent_name} 的版本 {version} 已通过审核并发布。"),
    },
    "submission_rejected": {
        "en": ("Version rejected", "Version {version} of {agent_name} was rejected: {reason}"),
        "zh-CN": ("版本未通过审核", "{agent_name} 的版本 {version} 未通过审核：{reason}"),
    },
    "run_failed": {
        "en": ("A run failed", "Your run of {agent_name} failed."),
        "zh-CN": ("运行失败", "您的 {agent_name} 运行失败。"),
    },
    "agent_version_published": {
        "en": ("New agent version", "{agent_name} has a new version: {version}."),
        "zh-CN": ("智能体有新版本", "{agent_name} 发布了新版本：{version}。"),
    },
    "run_waiting_for_budget": {
        "en": (
            "Your run waits for budget",
            "Your run of {agent_name} is paused: its {scope} token budget is used up. "
            "It goes on by itself when the budget is raised or at {period_end}.",
        ),
        "zh-CN": (
            "您的运行正在等待额度",
            "您的 {agent_name} 运行已暂停：{scope} 的 token 额度已用完。"
            "额度提高后或在 {period_end} 时将自动继续。",
        ),
    },
}
FALLBACK = {
    "en": ("AgentPaaS notification", "You have a new notification."),
    "zh-CN": ("AgentPaaS 通知", "您有一条新通知。"),
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def render(kind: str, data: dict[str, Any], language: str) -> tuple[str, str]:
    """(subject, text) of a notification in ``language`` (zh-CN or en)."""
    subject, text = TEXTS.get(kind, FALLBACK).get(language) or TEXTS.get(kind, FALLBACK)["en"]
    values = _Blank({k: str(v) for k, v in data.items() if isinstance(v, str | int | float)})
    return subject, text.format_map(values)
