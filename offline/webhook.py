"""The webhook side of the fake server: `setWebhook` checked as Telegram checks it, and the
delivery of queued updates to the bot by HTTP POST with the secret token header.

Telegram posts only to https URLs; a test names the local http address that stands for the
public URL (the reverse proxy's job in production) when it asks for a delivery.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp

from offline.params import Params
from offline.state import ApiError, PendingUpdate
from offline.updates import DEFAULT_ALLOWED, UpdateQueue

SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class WebhookState:
    url: str = ""
    secret: str | None = None
    allowed: frozenset[str] = DEFAULT_ALLOWED
    max_connections: int = 40
    refused: list[int] = field(default_factory=list)  # statuses of failed deliveries

    def set(self, params: Params, updates: UpdateQueue) -> bool:
        url = params.text("url")
        if url is None:
            raise ApiError(400, 'Bad Request: parameter "url" is required')
        if url and not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        secret = params.text("secret_token")
        if secret is not None and not SECRET.fullmatch(secret):
            raise ApiError(
                400, "Bad Request: bad webhook: secret token contains unallowed characters"
            )
        allowed = params.json_value("allowed_updates", "allowed updates")
        if allowed is not None and not isinstance(allowed, list):
            raise ApiError(400, "Bad Request: can't parse allowed updates JSON object")
        connections = params.integer("max_connections", 40) or 40
        if not 1 <= connections <= 100:  # noqa: PLR2004 - Telegram's documented range
            raise ApiError(400, "Bad Request: bad webhook: max_connections must be 1-100")
        if params.flag("drop_pending_updates"):
            updates.drop_pending()
        self.url, self.secret, self.max_connections = url, secret, connections
        if allowed is not None:
            self.allowed = frozenset(allowed) or DEFAULT_ALLOWED
        return True

    def delete(self) -> None:
        self.url, self.secret = "", None

    @property
    def active(self) -> bool:
        return bool(self.url)

    async def deliver(
        self, updates: UpdateQueue, targets: Sequence[str], *, parallel: int = 1
    ) -> int:
        """Posts each pending update once to the targets in turn (a load balancer in front of
        replicas: a target that refuses or cannot be reached passes the update to the next),
        in order, or `parallel` at a time as Telegram does over several connections. An update
        answered with 200 is confirmed; one no target took stays pending."""
        if not self.active:
            msg = "no webhook is set"
            raise RuntimeError(msg)
        headers = {SECRET_HEADER: self.secret} if self.secret else {}
        gate = asyncio.Semaphore(max(1, min(parallel, self.max_connections)))
        async with aiohttp.ClientSession() as http:

            async def one(index: int, pending: PendingUpdate) -> bool:
                async with gate:
                    for turn in range(len(targets)):
                        target = targets[(index + turn) % len(targets)]
                        status = await _post(http, target, pending.payload, headers)
                        if status == 200:  # noqa: PLR2004
                            pending.delivered = True
                            updates.confirm_one(pending)
                            return True
                        self.refused.append(status)
                return False

            wanted = [p for p in list(updates.pending) if p.kind in self.allowed]
            done = await asyncio.gather(*(one(i, p) for i, p in enumerate(wanted)))
        return sum(done)


async def _post(
    http: aiohttp.ClientSession, target: str, payload: dict[str, object], headers: dict[str, str]
) -> int:
    try:
        async with http.post(target, json=payload, headers=headers) as answer:
            return answer.status
    except (aiohttp.ClientError, OSError):
        return 0
