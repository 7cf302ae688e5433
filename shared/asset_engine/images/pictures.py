"""What a finished SDXL job returned, turned into the PNG we store — or refused.

worker-sdxl answers `{"images": [...], "image_url": ..., "seed": ...}` whose entries are base64
data URLs, or presigned URLs when it uploads to a bucket; older workers and other handlers send
a bare base64 string or a single URL. Whatever arrives must be a PNG or JPEG of the asked size.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

# httpx and Pillow are imported where a picture is fetched or checked, not at import: the
# sweeper and the AI function load this module and most of their invocations never need them
# (~0.15 s of a cold start).

MAX_BYTES = 20 * 1024 * 1024  # RunPod's own warning threshold for a job's answer
_FORMATS = {"PNG", "JPEG"}


class BadPicture(ValueError):
    """The job finished, but what it returned is not the picture that was asked for."""


def first_image(output: Any) -> str:
    """The first picture reference in a worker's output."""
    if isinstance(output, dict):
        images = output.get("images")
        if isinstance(images, list) and images and isinstance(images[0], str):
            return images[0]
        for key in ("image_url", "image"):
            if isinstance(output.get(key), str) and output[key]:
                return str(output[key])
    if isinstance(output, list) and output and isinstance(output[0], str):
        return output[0]
    if isinstance(output, str) and output:
        return output
    raise BadPicture("the job finished without an image in its output")


def fetch_bytes(reference: str, *, allow_http: bool, timeout_s: float = 10.0) -> bytes:
    """The bytes behind a data URL, a URL, or a bare base64 string."""
    import httpx

    if reference.startswith("data:"):
        header, _, payload = reference.partition(",")
        if ";base64" not in header:
            raise BadPicture("the image data URL is not base64")
        return _b64(payload)
    if reference.startswith("https://") or (allow_http and reference.startswith("http://")):
        try:
            with httpx.stream("GET", reference, timeout=timeout_s, follow_redirects=True) as reply:
                reply.raise_for_status()
                chunks, size = [], 0
                for chunk in reply.iter_bytes():
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise BadPicture("the image is over 20 MB")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.HTTPError as exc:
            raise BadPicture(f"the image could not be downloaded ({type(exc).__name__})") from exc
    return _b64(reference)


def _b64(payload: str) -> bytes:
    if len(payload) > MAX_BYTES * 4 // 3 + 4:
        raise BadPicture("the image is over 20 MB")
    try:
        return base64.b64decode(payload.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadPicture("the image is neither a URL nor base64") from exc


def as_png(data: bytes, *, width: int, height: int) -> bytes:
    """`data` as a PNG of exactly width x height (a JPEG is re-encoded), or BadPicture."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # a truncated or corrupt file fails here, before it is decoded
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in _FORMATS:
                raise BadPicture(f"the image is {image.format}, not PNG or JPEG")
            if image.size != (width, height):
                raise BadPicture(
                    f"the image is {image.size[0]}x{image.size[1]}, not the {width}x{height} asked for"
                )
            if image.format == "PNG":
                return data
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, format="PNG")
            return buffer.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise BadPicture("the job's output is not a readable image") from exc
