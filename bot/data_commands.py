"""`python -m bot load-data PATH`: a deployment's own reference data or schools."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from bot.migrate import upgrade_database
from bot.settings import Settings
from calendars.clock import SystemClock
from calendars.errors import ReferenceDataError
from models.db import create_engine, create_sessionmaker
from services.reference.importer import load_deployment_data

log = logging.getLogger(__name__)


async def load_data(settings: Settings, path: str) -> int:
    target = Path(path)
    if not target.exists():
        sys.stderr.write(f"No such file or folder: {target}\n")
        return 2
    await upgrade_database(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            report = await load_deployment_data(session, target, SystemClock().now())
    except ReferenceDataError as exc:
        sys.stderr.write(f"{exc}\nNothing was loaded.\n")
        return 1
    finally:
        await engine.dispose()
    sys.stdout.write("\n".join(report.summary()) + "\n")
    return 0
