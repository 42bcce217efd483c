"""Headless Chromium for the panel's browser tests: Debian's `chromium` package driven by the
`playwright` package (its own browser downloads are never used). Tests skip, saying why, when
either is missing."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return CHROMIUM if shutil.which(CHROMIUM) else shutil.which("chromium")


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium: install Debian's package (apt-get install -y chromium)")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.skip("the playwright package is missing (pip install -e '.[dev]')")
    async with async_playwright() as driver:
        found = await driver.chromium.launch(executable_path=path, args=ARGS, headless=True)
        try:
            yield found
        finally:
            await found.close()


async def open_page(browser: Any, url: str, width: int, height: int = 900) -> Any:
    """A page of the given viewport; Telegram's script is not fetched (no network in tests)."""
    page = await browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(15_000)
    await page.route("https://telegram.org/**", lambda route: route.abort())
    await page.goto(url)
    await page.wait_for_selector("body[data-loaded]")
    return page


async def overflows(page: Any) -> bool:
    """Whether anything sticks out sideways (the page scrolls horizontally)."""
    return bool(
        await page.evaluate(
            "document.documentElement.scrollWidth > window.innerWidth"
            " || document.body.scrollWidth > window.innerWidth"
        )
    )
