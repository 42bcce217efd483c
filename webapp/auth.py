"""Who is asking: the Mini App's `initData`, signed by Telegram with the bot's token.

A request is trusted only when the signature checks out (aiogram's helper, HMAC-SHA256 keyed
with the token), the data names a user, and `auth_date` is recent enough by the bot's clock.
Anything else is one answer: 401, with nothing about why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from aiogram.utils.web_app import WebAppInitData, safe_parse_webapp_init_data

HEADER = "X-Telegram-Init-Data"
QUERY = "initData"
# Telegram's clock and ours may differ a little; an auth_date from the future is still refused
# past this.
CLOCK_SKEW = dt.timedelta(minutes=5)


class Unauthenticated(Exception):
    """The request carries no valid, fresh initData."""


@dataclass(frozen=True)
class WebAppPerson:
    tg_id: int
    name: str
    language_code: str | None


def verify(
    init_data: str | None, token: str, *, now: dt.datetime, max_age: dt.timedelta
) -> WebAppPerson:
    """The person the initData names, or Unauthenticated."""
    if not init_data:
        raise Unauthenticated
    try:
        data: WebAppInitData = safe_parse_webapp_init_data(token, init_data)
    except ValueError:  # a bad signature, or fields that do not parse
        raise Unauthenticated from None
    if data.user is None:
        raise Unauthenticated
    issued = data.auth_date if data.auth_date.tzinfo else data.auth_date.replace(tzinfo=dt.UTC)
    if issued > now + CLOCK_SKEW or now - issued > max_age:
        raise Unauthenticated
    user = data.user
    name = " ".join(p for p in (user.first_name, user.last_name) if p)
    return WebAppPerson(user.id, name, user.language_code)


def sign(
    token: str, *, tg_id: int, first_name: str, auth_date: dt.datetime, language: str = "ru"
) -> str:
    """initData as Telegram would sign it for this user (the console and the tests open the
    panel without Telegram)."""
    user = {"id": tg_id, "first_name": first_name, "language_code": language}
    fields = {
        "auth_date": str(int(auth_date.timestamp())),
        "query_id": f"console-{tg_id}",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
    }
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)
