import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded rosters go to a temporary folder, never the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
