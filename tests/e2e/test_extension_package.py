"""The extension folder as a package: Firefox's linter passes it, the manifest holds together.

`web-ext lint` (npm, installed by `make install`) must report no errors. The manifest's
files exist, and Chromium's service worker imports exactly the scripts Firefox's event
page lists, in the same order, so both browsers run the same background.
"""

from __future__ import annotations

import json
import re
import subprocess

from server.settings import PROJECT_ROOT

EXTENSION = PROJECT_ROOT / "extension"
WEB_EXT = PROJECT_ROOT / "node_modules" / ".bin" / "web-ext"


def manifest() -> dict:
    return json.loads((EXTENSION / "manifest.json").read_text())


def test_web_ext_lint_has_no_errors():
    assert WEB_EXT.exists(), "web-ext is missing: run `make install` (npm ci)"
    run = subprocess.run([str(WEB_EXT), "lint", "--source-dir", str(EXTENSION), "--output", "json", "--no-input"],
                         capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT)
    report = json.loads(run.stdout)
    assert report["errors"] == [], report["errors"]
    # The one expected warning: Firefox ignores the service worker and runs background.scripts.
    assert {w["code"] for w in report["warnings"]} <= {"BACKGROUND_SERVICE_WORKER_IGNORED"}, report["warnings"]


def test_manifest_files_exist_and_backgrounds_agree():
    m = manifest()
    assert m["manifest_version"] == 3
    assert m["browser_specific_settings"]["gecko"]["id"]
    referenced = [m["background"]["service_worker"], *m["background"]["scripts"], m["action"]["default_popup"],
                  m["options_ui"]["page"], *m["icons"].values(), *m["action"]["default_icon"].values()]
    for script in m["content_scripts"]:
        referenced += script["js"]
    missing = [path for path in referenced if not (EXTENSION / path).is_file()]
    assert not missing, missing

    worker = (EXTENSION / m["background"]["service_worker"]).read_text()
    imported = re.findall(r'"/([\w/.-]+\.js)"', worker.split("importScripts(", 1)[1].split(");", 1)[0])
    assert imported + [m["background"]["service_worker"]] == m["background"]["scripts"]


def test_pages_load_only_their_own_scripts():
    # No inline script and no remote script anywhere: the pages run under script-src 'self'.
    for page in EXTENSION.rglob("*.html"):
        html = page.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            src = re.search(r'src="([^"]+)"', tag)
            assert src and not re.match(r"[a-z]+:", src.group(1)), (page.name, tag)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), page.name
    assert "script-src 'self';" in manifest()["content_security_policy"]["extension_pages"]
