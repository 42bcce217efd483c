"""The conversation fixtures (real dispatcher, strict fake Bot API, demo data on a fixed clock)
for regression tests that replay a chat."""

from tests.conversation.conftest import (
    app,
    chat,
    clock,
    extra_routers,
    fake_api,
    grant_role,
    make_chat,
)

__all__ = ["app", "chat", "clock", "extra_routers", "fake_api", "grant_role", "make_chat"]
