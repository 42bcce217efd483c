"""An aiogram HTTP session for plain-HTTP Bot API servers (local server, fake server, console)."""

from __future__ import annotations

from aiogram.client.session.aiohttp import AiohttpSession


class LoopbackSession(AiohttpSession):
    """aiogram's session without the 250 ms pause it takes on close for TLS shutdown."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
