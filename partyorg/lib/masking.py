def mask_identifier(value: str | None, *, keep_start: int = 3, keep_end: int = 3) -> str:
    """Show only the ends of a personal id: '030155410703' -> '030******703'."""
    if not value:
        return ""
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]
