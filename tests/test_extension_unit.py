"""The extension's own logic under Node's built-in test runner, and ESLint's recommended rules.

`node --test tests/extension/` runs the unit tests of the extension's scripts (message
checks, storage, word and sentence boundaries, the image policy, file names); ESLint
(eslint.config.mjs, the recommended rules) must report nothing for extension/ and those
tests. Both come with `make install` (Debian's nodejs, the npm tools); `make test` runs
them through this module.
"""

from __future__ import annotations

import shutil
import subprocess


from server.settings import PROJECT_ROOT

NODE = shutil.which("node")
ESLINT = PROJECT_ROOT / "node_modules" / ".bin" / "eslint"


def test_extension_unit_tests_pass():
    assert NODE, "node is missing: run `make install` (Debian package nodejs)"
    run = subprocess.run([NODE, "--test", "tests/extension/"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                         timeout=110)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout, run.stdout[-1000:]


def test_eslint_recommended_rules_are_clean():
    assert ESLINT.exists(), "eslint is missing: run `make install` (npm ci)"
    run = subprocess.run([str(ESLINT), "--max-warnings", "0", "extension", "tests/extension", "eslint.config.mjs"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=110)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
