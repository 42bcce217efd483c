"""The conversation fixtures (tests/support/conversation.py) for this folder."""

from tests.support.conversation import (
    app,
    chat,
    clock,
    extra_routers,
    fake_api,
    grant_role,
    make_chat,
    reference,
)

__all__ = [
    "clock",
    "reference",
    "extra_routers",
    "fake_api",
    "app",
    "make_chat",
    "chat",
    "grant_role",
]
