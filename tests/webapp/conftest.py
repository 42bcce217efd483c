"""The conversation fixtures (the real bot against the fake Bot API server) and the panel's."""

from tests.support.conversation import (
    app,
    chat,
    clock,
    fake_api,
    grant_role,
    make_chat,
    reference,
)
from tests.support.stage_chat import extra_routers
from tests.support.webapp import web_url

__all__ = [
    "clock",
    "reference",
    "extra_routers",
    "fake_api",
    "app",
    "make_chat",
    "chat",
    "grant_role",
    "web_url",
]
