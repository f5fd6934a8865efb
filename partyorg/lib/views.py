"""Small helpers shared by views."""

from django import forms

from .errors import DomainError


def attach_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused rule on the form: on its field when it names one the form has, else on top."""
    problems = getattr(error, "problems", None) or [(error.field, error.message)]
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)
