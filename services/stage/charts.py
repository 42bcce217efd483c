"""Pictures for coordinators: registrations per subject or per school as a PNG bar chart.

Rendering uses matplotlib's Agg canvas directly (no pyplot, no display, no global state), so
it is safe to run in a worker thread while the bot keeps serving.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import Level
from models.geo import School
from models.olympiad import OlympiadEvent, Registration, Subject
from models.people import User
from services.people.identity import Identity
from services.stage.overview import YEAR_ZONE, scope_condition
from services.stage.scope import current_school_year

MAX_BARS = 30


class ChartKind(StrEnum):
    SUBJECT = "subject"
    SCHOOL = "school"


@dataclass(frozen=True)
class ChartData:
    labels: list[str]
    values: list[int]
    others: int  # registrations of the bars left out (a region has hundreds of schools)


async def chart_data(
    session: AsyncSession,
    ident: Identity,
    kind: ChartKind,
    *,
    level: Level | None,
    locale: str,
    now: dt.datetime,
) -> ChartData:
    """Registrations of my scope's events this school year, grouped by subject or school."""
    year = current_school_year(now, YEAR_ZONE)
    where = [scope_condition(ident), OlympiadEvent.school_year == year]
    if level is not None:
        where.append(OlympiadEvent.level == level)
    result = await session.execute(_grouped(kind, locale).where(*where))
    rows = [(str(label), int(value)) for label, value in result]
    shown, rest = rows[:MAX_BARS], rows[MAX_BARS:]
    return ChartData(
        labels=[label for label, _ in shown],
        values=[value for _, value in shown],
        others=sum(value for _, value in rest),
    )


def _grouped(kind: ChartKind, locale: str) -> Select[str, int]:
    count = func.count(Registration.id)
    if kind == ChartKind.SUBJECT:
        name = Subject.name_en if locale == "en" else Subject.name_ru
        return (
            select(name, count)
            .select_from(Subject)
            .join(OlympiadEvent, OlympiadEvent.subject_id == Subject.id)
            .outerjoin(Registration, Registration.event_id == OlympiadEvent.id)
            .group_by(Subject.id, name, Subject.sort_order)
            .order_by(Subject.sort_order)
        )
    return (
        select(School.name, count)
        .select_from(Registration)
        .join(OlympiadEvent, Registration.event_id == OlympiadEvent.id)
        .join(User, Registration.student_id == User.id)
        .join(School, User.school_id == School.id)
        .group_by(School.id, School.name)
        .order_by(count.desc(), School.name)
    )


def bar_chart_png(data: ChartData, title: str, others_label: str) -> bytes:
    """A horizontal bar chart, one bar per label, the value written at the end of each bar."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    labels = [_short(label) for label in data.labels]
    values = list(data.values)
    if data.others:
        labels.append(others_label)
        values.append(data.others)
    height = max(3.0, 0.35 * len(labels) + 1.5)
    figure = Figure(figsize=(8, height), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    bars = axes.barh(positions, values, color="#3b7dd8")
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.bar_label(bars, padding=3)
    axes.set_title(title)
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
