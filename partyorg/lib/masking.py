import re

# A CCCD (12 digits), an old ID card (9) or any longer number written into free text.
_LONG_NUMBER = re.compile(r"\d{9,}")


def mask_identifier(value: str | None, *, keep_start: int = 3, keep_end: int = 3) -> str:
    """Show only the ends of a personal id: '030155410703' -> '030******703'."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def redact_long_numbers(text: str, *, replacement: str = "…") -> str:
    """Free text without the personal ids it may quote: 'sửa thành 024085000123' -> 'sửa thành …'."""
    return _LONG_NUMBER.sub(replacement, text or "")
