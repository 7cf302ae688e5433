"""The offline painter: a real PNG drawn with Pillow, deterministic per prompt, size and seed.

It answers in worker-sdxl's output format (a base64 data URL under `images` and `image_url`),
so everything after the provider — decoding, checking, storing, versioning — runs as with SDXL.
`InlinePainter` is the provider a stack without RunPod uses; the local RunPod stand-in paints
with `paint` too.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
import textwrap
import uuid
from typing import Any, Literal

from PIL import Image, ImageDraw, ImageFont

from asset_engine.providers.images import JobStatus


def paint(*, prompt: str, width: int, height: int, seed: int) -> bytes:
    """A PNG of exactly width x height showing the prompt, the size and the seed."""
    rng = random.Random(f"{seed}:{prompt}")
    top = tuple(rng.randrange(40, 200) for _ in range(3))
    bottom = tuple(rng.randrange(20, 120) for _ in range(3))
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a vertical gradient, one line at a time
        mix = y / max(1, height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(12):  # soft shapes, placed by the seed
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(min(width, height) // 12, min(width, height) // 4)
        colour = (*(rng.randrange(120, 256) for _ in range(3)), 70)
        layer = Image.new("RGBA", image.size)
        ImageDraw.Draw(layer).ellipse([x - r, y - r, x + r, y + r], fill=colour)
        image.paste(layer, mask=layer)
    draw = ImageDraw.Draw(image)
    title_px, small_px = max(18, width // 24), max(12, width // 48)
    title = ImageFont.load_default(size=title_px)
    small = ImageFont.load_default(size=small_px)
    lines = textwrap.wrap(prompt, width=max(12, width // (title_px // 2 + 1)))[:6]
    y = height // 3
    for line in lines:
        draw.text((width // 2, y), line, font=title, fill="white", anchor="mm")
        y += int(title_px * 1.3)
    draw.text(
        (width // 2, height - small_px * 2),
        f"{width} x {height} · seed {seed} · offline painter",
        font=small,
        fill="white",
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def worker_output(request: dict[str, Any]) -> dict[str, Any]:
    """worker-sdxl's success output for `request` (its `input`), painted offline."""
    png = paint(
        prompt=str(request.get("prompt") or ""),
        width=int(request.get("width") or 1024),
        height=int(request.get("height") or 1024),
        seed=int(request.get("seed") or 0),
    )
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    return {"images": [url], "image_url": url, "seed": request.get("seed")}


class InlinePainter:
    """The image provider of a stack without RunPod: the job is painted when it is read."""

    name: Literal["mock"] = "mock"
    settles_inline = True

    def submit(self, request: dict[str, Any], *, webhook_url: str) -> str:
        digest = hashlib.sha256(repr(sorted(request.items())).encode()).hexdigest()[:12]
        return f"inline-{digest}-{uuid.uuid4().hex[:8]}"

    def status(self, provider_job_id: str, request: dict[str, Any]) -> JobStatus:
        return JobStatus(state="completed", status="COMPLETED", output=worker_output(request))

    def cancel(self, provider_job_id: str) -> None:
        return None
