from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def dots(count: int = 30):
    """A short run of dots to fill in by hand inside a line."""
    return "." * int(count)


@register.simple_tag
def blank_lines(count: int):
    """Dotted lines to be filled in by hand."""
    return mark_safe(('<span class="blank">' + "." * 200 + "</span>") * int(count))


@register.filter
def unbroken_name(name: str) -> str:
    """An organization's name in a header that may break after its first two words only (the kind: "Đảng ủy",
    "Chi bộ", "Tỉnh ủy" …), never inside the proper name: "ĐẢNG ỦY / TRƯỜNG THPT NGÔ SĨ LIÊN", not
    "ĐẢNG ỦY TRƯỜNG THPT NGÔ SĨ / LIÊN". A proper name too long for its column widens the column instead."""
    words = str(name).split()
    return " ".join("\u00a0".join(part) for part in (words[:2], words[2:]) if part)
