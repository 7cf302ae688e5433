"""Every channel a campaign can run on, and its length limits: the one table.

The AI paths write to these limits (the limit goes into the prompt and the answer is checked),
`GET /api/v1/channels` serves the table to the frontend (the editor's live count), and the
campaigns schema takes its channel ids from it. Ids are stable: they are stored in campaigns
and in asset metadata.

Lengths are counted in Unicode code points (`len(text)` in Python, `[...text].length` in
JavaScript), the way the platforms below count characters. A limit binds either the whole copy
(`content`) or only an email's subject line (`subject_line`: the first line, after
"Subject: ").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

ChannelId = Literal[
    "email",
    "web",
    "blog",
    "landing_page",
    "search_ads",
    "display_ads",
    "facebook",
    "instagram",
    "linkedin",
    "x",
    "tiktok",
    "youtube",
    "pinterest",
    "sms",
    "push",
    "print",
    "out_of_home",
    "podcast",
]
AssetType = Literal["headline", "ad_copy", "social_post", "email", "landing_page", "tagline"]
Measure = Literal["content", "subject_line"]
ASSET_TYPES: tuple[str, ...] = get_args(AssetType)

# SMS: GSM 03.38 packs 160 characters in one message, 153 per part of a longer one (the user
# data header takes the rest); any character outside it switches to UCS-2: 70, then 67.
# (3GPP TS 23.038 and 23.040; Twilio, "What the Heck is a Segment?")
SMS_SEGMENTS = {"gsm7": {"single": 160, "multipart": 153}, "ucs2": {"single": 70, "multipart": 67}}
_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")  # two septets each


@dataclass(frozen=True)
class Channel:
    id: str
    label: str
    # Field -> at most this many characters, as the platform states it.
    limits: dict[str, int]
    # Asset type -> the field whose limit binds that copy; a type not listed is unbound.
    binds: dict[str, str] = field(default_factory=dict)
    # Field -> what of the copy it counts; "content" when not listed.
    measures: dict[str, Measure] = field(default_factory=dict)


def _all(field_name: str) -> dict[str, str]:
    return dict.fromkeys(ASSET_TYPES, field_name)


_SHORT = ("headline", "tagline")

CHANNEL_TABLE: tuple[Channel, ...] = (
    # "Subject lines of about 60 characters or fewer are fully shown by most inboxes"
    # (Mailchimp, "Best practices for email subject lines"); the body has no limit.
    Channel(
        "email",
        "Email",
        {"subject": 60},
        {"headline": "subject", "tagline": "subject", "email": "subject"},
        {"subject": "subject_line"},
    ),
    # Google shows a page title in about 60 characters and a meta description in about 155
    # (Google Search Central, "Influencing title links" / "Control your snippets"; Moz).
    Channel(
        "web", "Website", {"title": 60, "meta_description": 155}, dict.fromkeys(_SHORT, "title")
    ),
    Channel("blog", "Blog", {"title": 60, "meta_description": 155}, dict.fromkeys(_SHORT, "title")),
    Channel(
        "landing_page",
        "Landing page",
        {"title": 60, "meta_description": 155},
        dict.fromkeys(_SHORT, "title"),
    ),
    # Google Ads responsive search ads: headlines up to 30 characters, descriptions up to 90
    # (Google Ads Help, "About responsive search ads").
    Channel(
        "search_ads",
        "Google Ads (search)",
        {"headline": 30, "description": 90},
        {**_all("description"), **dict.fromkeys(_SHORT, "headline")},
    ),
    # Google Ads responsive display ads: short headline 30, long headline 90, description 90
    # (Google Ads Help, "About responsive display ads").
    Channel(
        "display_ads",
        "Google Ads (display)",
        {"headline": 30, "long_headline": 90, "description": 90},
        {**_all("description"), **dict.fromkeys(_SHORT, "headline")},
    ),
    # Meta ads: primary text shows 125 characters before "See more"; headline 40
    # (Meta Ads Guide, "Facebook Feed: image ad" text recommendations).
    Channel(
        "facebook",
        "Facebook (Meta ads)",
        {"primary_text": 125, "headline": 40},
        {**_all("primary_text"), **dict.fromkeys(_SHORT, "headline")},
    ),
    # Instagram captions: up to 2,200 characters (Instagram Help Center, "caption length").
    Channel("instagram", "Instagram", {"caption": 2200}, _all("caption")),
    # LinkedIn posts: up to 3,000 characters (LinkedIn Help, "Share posts on LinkedIn").
    Channel("linkedin", "LinkedIn", {"post": 3000}, _all("post")),
    # X posts: 280 characters for accounts without Premium (X Help Center, "About posts";
    # developer.x.com, "Counting characters").
    Channel("x", "X (Twitter)", {"post": 280}, _all("post")),
    # TikTok ads: ad text up to 100 characters (TikTok Ads Manager, "Ad text" specifications);
    # video captions up to 4,000 (TikTok Newsroom, 2023).
    Channel(
        "tiktok",
        "TikTok",
        {"ad_text": 100, "caption": 4000},
        {**_all("caption"), **dict.fromkeys(("headline", "tagline", "ad_copy"), "ad_text")},
    ),
    # YouTube: titles up to 100 characters, descriptions up to 5,000
    # (YouTube Help, "Add video titles & descriptions").
    Channel(
        "youtube",
        "YouTube",
        {"title": 100, "description": 5000},
        {**_all("description"), **dict.fromkeys(_SHORT, "title")},
    ),
    # Pinterest Pins: title up to 100 characters, description up to 500
    # (Pinterest Help, "Create a Pin").
    Channel(
        "pinterest",
        "Pinterest",
        {"title": 100, "description": 500},
        {**_all("description"), **dict.fromkeys(_SHORT, "title")},
    ),
    # SMS: 160 GSM-7 characters per segment (see SMS_SEGMENTS); copy is written to fit one.
    Channel("sms", "SMS", {"segment": 160}, _all("segment")),
    # Push, print, out of home and podcast copy have no character limit of their own: the
    # operating system, the layout or the read decide; nothing binds them here.
    Channel("push", "Push notification", {}),
    Channel("print", "Print", {}),
    Channel("out_of_home", "Out of home", {}),
    Channel("podcast", "Podcast", {}),
)

CHANNELS: dict[str, Channel] = {channel.id: channel for channel in CHANNEL_TABLE}
CHANNEL_IDS: tuple[str, ...] = get_args(ChannelId)
assert tuple(CHANNELS) == CHANNEL_IDS, "the table and ChannelId list the same ids, in order"


@dataclass(frozen=True)
class ChannelLimit:
    """The limit that binds one asset type's copy on one channel."""

    channel: str
    label: str
    field: str
    chars: int
    measure: Measure = "content"

    def measured(self, text: str) -> str:
        """The part of `text` this limit counts."""
        if self.measure == "subject_line":
            return subject_line(text)
        return text

    def length(self, text: str) -> int:
        return len(self.measured(text))

    def fits(self, text: str) -> bool:
        return self.length(text) <= self.chars

    def describe(self) -> str:
        """The limit as the prompt states it."""
        what = "the subject line" if self.measure == "subject_line" else "the whole copy"
        name = self.field.replace("_", " ")
        return (
            f"Channel: {self.label}. Hard limit: {what} ({name}) must be at most {self.chars} "
            "characters, spaces and punctuation included. Count them; shorter is fine."
        )

    def report(self, text: str) -> dict[str, Any]:
        """What an answer says about the copy's fit: added to an asset's metadata."""
        report: dict[str, Any] = {
            "channel": self.channel,
            "length": self.length(text),
            "limit": self.chars,
            "limit_field": self.field,
        }
        if self.channel == "sms":
            report["segments"] = sms_segments(text)
        return report


def limit_for(channel: str | None, asset_type: str | None) -> ChannelLimit | None:
    """The limit binding `asset_type` copy on `channel`, or None (no channel, or unbound)."""
    spec = CHANNELS.get(channel or "")
    if spec is None:
        return None
    field_name = spec.binds.get(asset_type or "")
    if field_name is None:
        return None
    return ChannelLimit(
        channel=spec.id,
        label=spec.label,
        field=field_name,
        chars=spec.limits[field_name],
        measure=spec.measures.get(field_name, "content"),
    )


def subject_line(text: str) -> str:
    """An email's subject: its first line, without the "Subject:" label."""
    first = text.lstrip().split("\n", 1)[0]
    if first[:8].lower() == "subject:":
        first = first[8:]
    return first.strip()


def sms_segments(text: str) -> int:
    """How many messages `text` is sent as (GSM-7 when every character allows, else UCS-2)."""
    if all(char in _GSM7 or char in _GSM7_EXTENDED for char in text):
        units = sum(2 if char in _GSM7_EXTENDED else 1 for char in text)
        sizes = SMS_SEGMENTS["gsm7"]
    else:
        units = sum(2 if ord(char) > 0xFFFF else 1 for char in text)  # UTF-16 code units
        sizes = SMS_SEGMENTS["ucs2"]
    if units <= sizes["single"]:
        return 1
    return -(-units // sizes["multipart"])


def public_table() -> list[dict[str, Any]]:
    """`GET /api/v1/channels`: every channel, its limits, and what each asset type counts."""
    table = []
    for spec in CHANNEL_TABLE:
        asset_limits = {}
        for asset_type in ASSET_TYPES:
            limit = limit_for(spec.id, asset_type)
            if limit is not None:
                asset_limits[asset_type] = {
                    "field": limit.field,
                    "limit": limit.chars,
                    "measure": limit.measure,
                }
        entry: dict[str, Any] = {
            "id": spec.id,
            "label": spec.label,
            "limits": dict(spec.limits),
            "asset_limits": asset_limits,
        }
        if spec.id == "sms":
            entry["segments"] = SMS_SEGMENTS
        table.append(entry)
    return table
