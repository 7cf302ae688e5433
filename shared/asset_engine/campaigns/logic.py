"""Campaign rules: the status lifecycle of API.md."""

from __future__ import annotations

import uuid

from asset_engine.campaigns import campaigns
from asset_engine.campaigns.campaigns import Campaign
from asset_engine.campaigns.schemas import CampaignCreate, CampaignPublic, CampaignUpdate
from asset_engine.db import Connection, transaction
from asset_engine.errors import Conflict, InvalidField, NotFound
from asset_engine.pagination import Cursor, page_of

_NOT_FOUND = "Campaign not found."

# Where each status may go next. Nothing leaves `archived`.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("active", "archived"),
    "active": ("paused", "completed"),
    "paused": ("active", "completed"),
    "completed": ("archived",),
    "archived": (),
}


def create_campaign(
    conn: Connection, *, user_id: uuid.UUID, body: CampaignCreate
) -> CampaignPublic:
    campaign_id = campaigns.insert_campaign(conn, user_id=user_id, **body.model_dump())
    return get_campaign(conn, user_id=user_id, campaign_id=campaign_id)


def require_owned(conn: Connection, *, user_id: uuid.UUID, campaign_id: uuid.UUID) -> Campaign:
    """The user's campaign, or NotFound: the one ownership check other areas use (another
    user's campaign reads exactly as one that does not exist)."""
    campaign = campaigns.get_campaign(conn, user_id=user_id, campaign_id=campaign_id)
    if campaign is None:
        raise NotFound(_NOT_FOUND)
    return campaign


def get_campaign(conn: Connection, *, user_id: uuid.UUID, campaign_id: uuid.UUID) -> CampaignPublic:
    return CampaignPublic.of(require_owned(conn, user_id=user_id, campaign_id=campaign_id))


def list_campaigns(
    conn: Connection, *, user_id: uuid.UUID, status: str | None, limit: int, cursor: Cursor | None
) -> tuple[list[CampaignPublic], str | None]:
    rows = campaigns.list_campaigns(
        conn, user_id=user_id, status=status, limit=limit, cursor=cursor
    )
    page, next_cursor = page_of(rows, limit)
    return [CampaignPublic.of(row) for row in page], next_cursor


def edit_campaign(
    conn: Connection, *, user_id: uuid.UUID, campaign_id: uuid.UUID, changes: CampaignUpdate
) -> CampaignPublic:
    """Change the details sent, keep the rest. Archived is final: its details too."""
    with transaction(conn):
        current = campaigns.lock_campaign(conn, user_id=user_id, campaign_id=campaign_id)
        if current is None:
            raise NotFound(_NOT_FOUND)
        if current.status == "archived":
            raise Conflict("An archived campaign cannot be edited.", status=current.status)
        sent = changes.model_dump(exclude_unset=True)
        details = {
            field: sent[field] if field in sent else getattr(current, field)
            for field in CampaignUpdate.model_fields
        }
        start, end = details["start_date"], details["end_date"]
        if start and end and end < start:
            field = "end_date" if "end_date" in sent else "start_date"
            raise InvalidField(
                f"end_date must be on or after start_date (the campaign runs {start} to {end}).",
                loc=["body", field],
            )
        return CampaignPublic.of(campaigns.update_details(conn, campaign_id=campaign_id, **details))


def change_status(
    conn: Connection, *, user_id: uuid.UUID, campaign_id: uuid.UUID, to_status: str
) -> CampaignPublic:
    current = get_campaign(conn, user_id=user_id, campaign_id=campaign_id)
    sources = [status for status, targets in TRANSITIONS.items() if to_status in targets]
    moved = (
        campaigns.move_status(
            conn,
            user_id=user_id,
            campaign_id=campaign_id,
            from_statuses=sources,
            to_status=to_status,
        )
        if current.status in sources
        else None
    )
    if moved is None:
        # Re-read: a racing change may have moved it since we looked.
        now = get_campaign(conn, user_id=user_id, campaign_id=campaign_id)
        allowed = list(TRANSITIONS[now.status])
        raise Conflict(
            f"A campaign cannot go from {now.status} to {to_status}."
            + (f" Allowed next: {', '.join(allowed)}." if allowed else " Archived is final."),
            status=now.status,
            allowed_next=allowed,
        )
    # The row the UPDATE returned: a re-read could already show a racing change after ours.
    return CampaignPublic.of(moved)
