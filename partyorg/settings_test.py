"""Settings for the test suite (pyproject's DJANGO_SETTINGS_MODULE).

The development defaults: with DEBUG on at import, no SSL redirect or secure-only cookies get in the way of
the test client. pytest-django still runs every test with settings.DEBUG = False, and a test that needs a
production setting (OTP_REQUIRED, TRUSTED_PROXY_IPS, ...) turns it on with the `settings` fixture.
"""

import os

os.environ.setdefault("DEBUG", "1")

from partyorg.settings import *  # noqa: E402, F403
