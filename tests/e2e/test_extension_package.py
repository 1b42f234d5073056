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
    referenced += content_scripts()
    missing = [path for path in referenced if not (EXTENSION / path).is_file()]
    assert not missing, missing

    worker = (EXTENSION / m["background"]["service_worker"]).read_text()
    imported = re.findall(r'"/([\w/.-]+\.js)"', worker.split("importScripts(", 1)[1].split(");", 1)[0])
    assert imported + [m["background"]["service_worker"]] == m["background"]["scripts"]


def content_scripts() -> list[str]:
    """The content scripts the background injects or registers (background/capture.js)."""
    source = (EXTENSION / "background" / "capture.js").read_text()
    return re.findall(r'"([\w/.-]+\.js)"', source.split("CONTENT_SCRIPTS = Object.freeze([", 1)[1].split("]);", 1)[0])


def test_no_host_access_at_install():
    """A reader installing Gloss grants no site: activeTab, plus all sites only when asked for."""
    m = manifest()
    assert "host_permissions" not in m and "content_scripts" not in m
    assert not any("://" in p or p == "<all_urls>" for p in m["permissions"]), m["permissions"]
    assert "activeTab" in m["permissions"]
    assert m["optional_host_permissions"] == ["http://*/*", "https://*/*"]
    assert "shared/lazy-images.js" in content_scripts()


def test_every_message_is_in_english_and_korean():
    catalogues = {lang: json.loads((EXTENSION / "_locales" / lang / "messages.json").read_text())
                  for lang in ("en", "ko")}
    assert catalogues["en"].keys() == catalogues["ko"].keys()
    for lang, messages in catalogues.items():
        for key, entry in messages.items():
            wanted = set(re.findall(r"\$(\w+)\$", entry["message"]))
            assert wanted == {p.upper() for p in entry.get("placeholders", {})}, (lang, key)
    used = set()
    for path in EXTENSION.rglob("*"):
        if path.suffix in (".js", ".html", ".json") and "_locales" not in path.parts and path.name != "i18n.js":
            text = path.read_text()
            used |= set(re.findall(r'\bt\("(\w+)"', text)) | set(re.findall(r'GlossI18n\.t\("(\w+)"', text))
            used |= set(re.findall(r'data-i18n[\w-]*="(\w+)"', text)) | set(re.findall(r"__MSG_(\w+)__", text))
            used |= set(re.findall(r'title: "(menu\w+)"', text))
    assert used and not used - catalogues["en"].keys(), sorted(used - catalogues["en"].keys())


def test_pages_load_only_their_own_scripts():
    # No inline script and no remote script anywhere: the pages run under script-src 'self'.
    for page in EXTENSION.rglob("*.html"):
        html = page.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            src = re.search(r'src="([^"]+)"', tag)
            assert src and not re.match(r"[a-z]+:", src.group(1)), (page.name, tag)
        assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), page.name
    assert "script-src 'self';" in manifest()["content_security_policy"]["extension_pages"]
