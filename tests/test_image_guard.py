"""The image guard reads headers only: bombs, oversized, non-raster and garbage images
are refused before anything decodes them; good images pass unchanged."""

from __future__ import annotations

import base64
import io
import warnings

import pytest
from hostile_sites import bombs, png_bytes
from PIL import Image

from server.fetching import image_guard


def data_uri(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def test_twenty_thousand_square_png_is_refused_from_its_header():
    bomb = bombs()["png"]
    assert len(bomb) < 200_000  # small on the wire, 400 megapixels when decoded
    assert image_guard.check_image(bomb) is None
    assert image_guard.check_image(data_uri(bomb)) is None
    with pytest.raises(image_guard.ImageRefused, match="pixel"):
        image_guard.inspect_image(bomb)


def test_good_images_pass_unchanged():
    small = png_bytes(30, 20)
    assert image_guard.check_image(small) == small
    assert image_guard.check_image(data_uri(small)) == small
    assert image_guard.inspect_image(small) == image_guard.ImageInfo("image/png", 30, 20)


def test_long_thin_images_are_refused():
    buffer = io.BytesIO()
    Image.new("1", (image_guard.MAX_SIDE + 1, 1)).save(buffer, "PNG")
    assert image_guard.check_image(buffer.getvalue()) is None


def test_bytes_cap_is_checked_before_decoding():
    assert image_guard.check_image(b"\x89PNG\r\n\x1a\n" + bytes(image_guard.MAX_BYTES)) is None
    huge_uri = "data:image/png;base64," + "A" * (image_guard.MAX_BYTES * 4 // 3 + 100)
    assert image_guard.check_image(huge_uri) is None


def test_non_raster_and_garbage_are_refused():
    assert image_guard.check_image(data_uri(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")) is None
    assert image_guard.check_image("data:image/png;base64,@@@not-base64") is None
    assert image_guard.check_image("http://127.0.0.1/x.png") is None
    assert image_guard.check_image("file:///etc/passwd") is None
    assert image_guard.check_image(b"root:x:0:0:root:/root:/bin/bash\n") is None


def test_filter_images_caps_the_count_and_retypes_by_header():
    small = png_bytes(8, 8)
    images = {f"https://example.com/{i}.png": data_uri(small, "image/jpeg") for i in range(100)}
    images["https://example.com/bomb.png"] = data_uri(bombs()["png"])
    kept = image_guard.filter_images(images)
    assert len(kept) == image_guard.MAX_IMAGES
    assert all(uri.startswith("data:image/png;base64,") for uri in kept.values())
    assert "https://example.com/bomb.png" not in image_guard.filter_images(
        {"https://example.com/bomb.png": data_uri(bombs()["png"])})


def test_pillow_limits_turn_big_decodes_into_errors():
    with warnings.catch_warnings():
        saved = Image.MAX_IMAGE_PIXELS
        try:
            image_guard.install_pillow_limits()
            buffer = io.BytesIO()
            Image.new("1", (6000, 5000)).save(buffer, "PNG")  # 30 Mpx: over the cap, under 2x
            with pytest.raises((Image.DecompressionBombWarning, Image.DecompressionBombError)):
                Image.open(io.BytesIO(buffer.getvalue()))
        finally:
            Image.MAX_IMAGE_PIXELS = saved
