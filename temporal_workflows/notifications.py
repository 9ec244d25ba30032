"""Sending one notification event: its e-mails and its webhook deliveries, durably.

Started (``notify-<event id>``) by whatever recorded the event, in the same transaction,
so the first activity may run before that transaction commits: it retries until the
event's rows are visible. Each e-mail and each webhook delivery is an activity of its
own with retries and exponential backoff; every webhook attempt is recorded by the
activity. One item failing for good does not stop the others.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from temporal_workflows import contracts as c

LIST_TIMEOUT = timedelta(seconds=30)
# The recording transaction commits within seconds; an event that never shows up (its
# transaction rolled back) is given up after about a minute.
LIST_RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    maximum_interval=timedelta(seconds=5),
    maximum_attempts=20,
)
SEND_TIMEOUT = timedelta(seconds=60)
MAX_BACKOFF = timedelta(minutes=15)


def _item_retry(first_retry_seconds: float, maximum_attempts: int) -> RetryPolicy:
    return RetryPolicy(
        initial_interval=timedelta(seconds=first_retry_seconds),
        backoff_coefficient=2.0,
        maximum_interval=MAX_BACKOFF,
        maximum_attempts=maximum_attempts,
    )


@workflow.defn(name=c.NOTIFICATION_DISPATCH_WORKFLOW)
class NotificationDispatchWorkflow:
    """Find what the event must send, then send every item concurrently."""

    @workflow.run
    async def run(self, data: c.NotificationDispatchInput) -> int:
        """Returns how many items were sent (a failed item is recorded by its activity)."""
        work: c.NotificationWork = await workflow.execute_activity(
            c.LIST_NOTIFICATION_WORK_ACTIVITY,
            data,
            result_type=c.NotificationWork,
            start_to_close_timeout=LIST_TIMEOUT,
            retry_policy=LIST_RETRY,
        )
        retry = _item_retry(data.webhook_first_retry_seconds, data.webhook_max_attempts)
        sends = [
            workflow.execute_activity(
                activity,
                c.NotificationItemInput(data.tenant_id, item, data.webhook_max_attempts),
                start_to_close_timeout=SEND_TIMEOUT,
                retry_policy=retry,
                summary=summary,
            )
            for activity, items, summary in (
                (c.SEND_NOTIFICATION_EMAIL_ACTIVITY, work.emails, "e-mail"),
                (c.DELIVER_WEBHOOK_ACTIVITY, work.deliveries, "webhook"),
            )
            for item in items
        ]
        outcomes = await asyncio.gather(*sends, return_exceptions=True)
        return sum(1 for outcome in outcomes if not isinstance(outcome, BaseException))
