"""`gloss serve` as a real process prints the golden page over HTTP; `gloss print` does
the same from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

from conftest import gloss_server
from seed import CANONICAL, FIXTURES, IMAGE_DATA, IMAGE_URL, SEED_HTML, pdf_text

from server.settings import PROJECT_ROOT


def test_served_process_prints_the_seed():
    with gloss_server(GLOSS_RENDER_WORKERS="1") as base:
        body = json.dumps({"url": CANONICAL, "html": SEED_HTML, "images": {IMAGE_URL: IMAGE_DATA},
                           "options": {"page_size": "A4"}}).encode()
        request = urllib.request.Request(base + "/api/print", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"] == "application/pdf"
            assert resp.headers["Content-Disposition"].startswith('attachment; filename="State Department')
            pdf = resp.read()
        text = pdf_text(pdf)
        assert "months of detente on the peninsula" in text
        assert "Most Viewed" not in text and "We use cookies" not in text
        with urllib.request.urlopen(base + "/healthz", timeout=10) as resp:
            assert resp.status == 200


def test_gloss_print_command_writes_the_pdf(tmp_path):
    out = tmp_path / "seed.pdf"
    done = subprocess.run([sys.executable, "-m", "server", "print", str(FIXTURES / "seed-article.html"),
                           "-o", str(out), "--page-size", "A5", "--font-size", "10"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    pdf = out.read_bytes()
    assert "readjust and upgrade" in pdf_text(pdf)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "A5" in info or "419.528 x 595.276" in info
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    assert " 640   427 " in images  # the photograph beside the saved page was embedded


def test_gloss_print_rejects_bad_options(tmp_path):
    done = subprocess.run([sys.executable, "-m", "server", "print", str(FIXTURES / "seed-article.html"),
                           "-o", str(tmp_path / "x.pdf"), "--font-size", "40"],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "font_size" in done.stderr
    assert not (tmp_path / "x.pdf").exists()
