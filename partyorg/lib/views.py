"""Small helpers shared by views."""

from django import forms

from .errors import DomainError
from .locking import EditConflict


def attach_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a refused rule on the form: on its field when it names one the form has, else on top."""
    if isinstance(error, EditConflict) and "version" in form.fields:
        # The user's input stays; the message tells what changed meanwhile, and saving again now means
        # saving over those changes knowingly.
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = error.current_version
    problems = getattr(error, "problems", None) or [(error.field, error.message)]
    for field, message in problems:
        form.add_error(field if field in form.fields else None, message)
