"""The production SECRET_KEY must be long, varied and not one of the keys this repository ships.

Checked when the settings load with DEBUG off, so a weak key stops the app (web, worker, beat, management
commands) before it signs a single session cookie.
"""

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50
MIN_DISTINCT_CHARACTERS = 5
# Keys written in this repository (settings, Dockerfile, Makefile, docs): public, so never secret.
KNOWN_PREFIXES = ("django-insecure", "collectstatic-", "check-deploy-", "change-me", "changeme")


def check_secret_key(key: str | None) -> None:
    """Raise ImproperlyConfigured, naming the problem, unless `key` is fit for production."""
    if not key:
        raise ImproperlyConfigured(
            "SECRET_KEY chưa được đặt. Khi DEBUG tắt, hãy đặt SECRET_KEY (ít nhất 50 ký tự ngẫu nhiên, ví dụ: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if key.lower().startswith(KNOWN_PREFIXES):
        raise ImproperlyConfigured("SECRET_KEY là khóa mẫu công khai của mã nguồn; hãy tạo một khóa ngẫu nhiên riêng.")
    if len(key) < MIN_LENGTH:
        raise ImproperlyConfigured(f"SECRET_KEY quá ngắn ({len(key)} ký tự); cần ít nhất {MIN_LENGTH} ký tự.")
    if len(set(key)) < MIN_DISTINCT_CHARACTERS:
        raise ImproperlyConfigured(
            f"SECRET_KEY có ít hơn {MIN_DISTINCT_CHARACTERS} ký tự khác nhau; hãy dùng một khóa ngẫu nhiên."
        )
