from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def blank_lines(count: int):
    """Dotted lines to be filled in by hand."""
    return format_html_join("", '<span class="blank"></span>', (() for _ in range(int(count))))
