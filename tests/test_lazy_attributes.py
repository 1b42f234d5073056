"""One list of lazy-image attributes for the extension and the server.

The server reads `extension/shared/lazy-images.js` (the JSON between its markers); the
extension's content script runs that file. Both must see the same lists, the server
keeps the names the two used to disagree on, and the container image carries the file.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from server.article import images, lazy_attributes
from server.settings import PROJECT_ROOT


def test_the_server_and_the_extension_read_the_same_lists():
    node = shutil.which("node")
    assert node, "node is missing: run `make install` (Debian package nodejs)"
    script = ("require('vm').runInThisContext(require('fs').readFileSync(process.argv[1], 'utf8'));"
              "console.log(JSON.stringify(GlossLazyImages))")
    run = subprocess.run([node, "-e", script, str(lazy_attributes.SHARED_LIST)], capture_output=True, text=True,
                         check=True, timeout=30)
    in_browser = json.loads(run.stdout)
    assert tuple(in_browser["src"]) == lazy_attributes.LAZY_SRC_ATTRIBUTES == images.LAZY_SRC_ATTRIBUTES
    assert tuple(in_browser["srcset"]) + ("srcset",) == images.LAZY_SRCSET_ATTRIBUTES


def test_the_names_that_had_drifted_are_in_both():
    for name in ("data-large-src", "data-img-src", "data-image", "data-actualsrc", "data-orig-src",
                 "data-delayed-url", "data-native-src", "original-src", "lazy-src", "data-pagespeed-lazy-src"):
        assert name in lazy_attributes.LAZY_SRC_ATTRIBUTES, name
    assert {"data-original-srcset", "data-original-set"} <= set(lazy_attributes.LAZY_SRCSET_ATTRIBUTES)


def test_the_container_image_carries_the_list():
    containerfile = (PROJECT_ROOT / "deploy" / "Containerfile").read_text()
    assert "COPY extension/shared/lazy-images.js ./extension/shared/lazy-images.js" in containerfile
