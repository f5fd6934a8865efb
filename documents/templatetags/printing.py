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
