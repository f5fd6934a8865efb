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


def confirm_then_apply(request, form: forms.Form, *, check, apply):
    """The two steps of an irreversible change, as (plan, result).

    A valid POST runs `check` (every rule, nothing written) and returns its plan for the confirmation page
    (templates/_confirm_change.html); only the POST that carries confirm=1 with the same input runs `apply`
    and returns its result. "edit" goes back to the filled form. A refused rule lands on the form."""
    if request.method != "POST" or "edit" in request.POST or not form.is_valid():
        return None, None
    try:
        if request.POST.get("confirm") == "1":
            return None, apply()
        return check(), None
    except DomainError as error:
        attach_domain_error(form, error)
        return None, None
