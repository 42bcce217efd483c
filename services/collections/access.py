"""Which collections and organisations a person may see or act on (checked on every act)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.collections import Collection, CollectionOrg
from models.geo import Municipality, School
from services.collections.people import full_scopes, responsible_school_ids
from services.errors import Refused
from services.people.identity import Identity
from services.scopes import Scope


def collection_scope(collection: Collection) -> Scope:
    return Scope(region_id=collection.region_id, municipality_id=collection.municipality_id)


async def coordinator_scope(session: AsyncSession, ident: Identity) -> Scope:
    """The scope a coordinator opens and watches collections in; refused to anyone else."""
    scopes = await full_scopes(session, ident)
    if not scopes:
        raise Refused("col_not_coordinator")
    return scopes[0]


async def watched_collection(
    session: AsyncSession, ident: Identity, collection_id: int
) -> tuple[Collection, Scope]:
    """A collection the person coordinates, with the part of it they see (their scope)."""
    collection = await session.get(Collection, collection_id)
    if collection is None:
        raise Refused("col_unknown")
    for scope in await full_scopes(session, ident):
        if scope.region_id != collection.region_id:
            continue
        if scope.municipality_id is None or collection.municipality_id in (
            None,
            scope.municipality_id,
        ):
            return collection, scope
    raise Refused("forbidden")


async def org_of(
    session: AsyncSession, ident: Identity, collection_id: int, school_id: int
) -> tuple[Collection, CollectionOrg]:
    """An organisation's row of a collection, for its responsible person only."""
    if school_id not in responsible_school_ids(ident):
        raise Refused("forbidden")
    row = (
        await session.execute(
            select(Collection, CollectionOrg)
            .join(CollectionOrg, CollectionOrg.collection_id == Collection.id)
            .where(Collection.id == collection_id, CollectionOrg.school_id == school_id)
        )
    ).one_or_none()
    if row is None:
        raise Refused("col_unknown")
    return row[0], row[1]


async def schools_in(session: AsyncSession, scope: Scope) -> list[int]:
    """The organisations of a region or a municipality."""
    query = select(School.id).join(Municipality, School.municipality_id == Municipality.id)
    if scope.municipality_id is not None:
        query = query.where(School.municipality_id == scope.municipality_id)
    else:
        query = query.where(Municipality.region_id == scope.region_id)
    return list(await session.scalars(query.order_by(School.id)))
