"""Every setting is documented in the README and read from its environment variable."""

from __future__ import annotations

import dataclasses

from server.settings import PROJECT_ROOT, Settings


def test_every_setting_is_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [f.name for f in dataclasses.fields(Settings) if f"`GLOSS_{f.name.upper()}`" not in readme]
    assert not missing, f"settings not documented in README.md: {missing}"


def test_settings_come_from_the_environment_and_overrides_win():
    settings = Settings.from_env({"GLOSS_RENDER_WORKERS": "3", "PORT": "9000", "GLOSS_ACCESS_LOG": "yes",
                                  "GLOSS_RENDER_TIMEOUT": "2.5"}, port=9100)
    assert settings.render_workers == 3
    assert settings.render_timeout == 2.5
    assert settings.access_log is True
    assert settings.port == 9100
    assert Settings.from_env({"PORT": "9000"}).port == 9000
