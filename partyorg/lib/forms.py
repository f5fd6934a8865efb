from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator, BlankChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .dates import party_date_problem

# Dates are typed as Vietnamese write them. A text input, not inputmode=numeric: phone keypads
# in numeric mode have no "/".
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})


# Django writes "---------" for the empty choice of a select (model fields with choices, ModelChoiceField,
# django-filters); every form of the project shows a Vietnamese prompt instead (ChoicePromptMixin).
DJANGO_EMPTY_LABEL = "---------"
CHOOSE_PROMPT = "— Chọn —"
ANY_PROMPT = "Tất cả"  # a filter's empty choice means "any"


def _relabel(choices: list, prompt: str) -> list:
    return [(v, prompt if v in ("", None) and label == DJANGO_EMPTY_LABEL else label) for v, label in choices]


def _with_prompt(choices, prompt: str):
    """`choices` (a list, or Django's lazy BlankChoiceIterator of a model field's choices) with the prompt;
    None when they hold no "---------" (or are model choices, which read the field's empty_label)."""
    if isinstance(choices, BlankChoiceIterator):
        blank = _relabel(list(choices.blank_choice), prompt)
        return BlankChoiceIterator(choices.choices, blank) if blank != list(choices.blank_choice) else None
    if isinstance(choices, list):
        relabeled = _relabel(choices, prompt)
        return relabeled if relabeled != choices else None
    return None


def set_choice_prompt(field: forms.Field, prompt: str) -> None:
    """Replace Django's "---------" by `prompt` in the field's empty choice; other labels («— Chọn thay đổi —»,
    «Đang sinh hoạt») stay. Runs no query: model choices are iterated only when rendered."""
    if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
        # ModelChoiceField and django-filters' fields put `empty_label` first when their choices are iterated;
        # the widget's iterator may be a copy bound to another field (a form copies its fields): bind it anew.
        field.empty_label = prompt
        if isinstance(getattr(field.widget, "choices", None), BaseChoiceIterator):
            field.widget.choices = field.choices
    choices = _with_prompt(field.__dict__.get("_choices"), prompt)
    if choices is not None:
        field.choices = choices  # the setter updates the widget too
    widget_choices = _with_prompt(getattr(field.widget, "choices", None), prompt)
    if widget_choices is not None:
        field.widget.choices = widget_choices


class ChoicePromptMixin:
    """Every select of the form opens on a Vietnamese prompt (`choice_prompt`), not Django's "---------".

    Applied when the form's fields are first read for rendering (`form[name]`, which iterating the form and
    crispy use), so that choices set by any __init__ of the form are covered."""

    choice_prompt = CHOOSE_PROMPT

    def __getitem__(self, name):
        if not self.__dict__.get("_choice_prompts_set"):
            self._choice_prompts_set = True
            for field in self.fields.values():
                set_choice_prompt(field, self.choice_prompt)
        return super().__getitem__(name)


class FilterForm(ChoicePromptMixin, forms.Form):
    """The form of a list's filters (django-filters' Meta.form): an empty choice means "any"."""

    choice_prompt = ANY_PROMPT


class QuickSelect(forms.Select):
    """A <select> whose options are written in Python: the template-per-option rendering of forms.Select
    costs about a tenth of a millisecond an option, which adds up on filter bars shown on every list page."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = {str(v) for v in self.format_value(value)}
        return format_html("<select{}>{}</select>", flatatt(final_attrs), self._options(self.choices, selected))

    def _options(self, choices, selected):
        parts = []
        for option_value, label in choices:
            if isinstance(label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', option_value,
                                         self._options(label, selected)))  # fmt: skip
                continue
            option_value = "" if option_value is None else str(option_value)
            mark = mark_safe(" selected") if option_value in selected else ""
            parts.append(format_html('<option value="{}"{}>{}</option>', option_value, mark, label))
        return mark_safe("".join(parts))


class SeenVersionMixin:
    """A hidden `version`: the version of the record the form was filled from (partyorg.lib.locking).

    The form's view passes it to the service as `seen_version`; a form without it (a page from before
    this field, a hand-made request) is refused rather than saved unchecked."""

    def add_seen_version(self, version: int) -> None:
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version, required=False)

    def clean(self):
        cleaned_data = super().clean()
        if "version" in self.fields and cleaned_data.get("version") is None:
            raise forms.ValidationError("Trang này đã cũ; hãy tải lại trang rồi nhập lại.")
        return cleaned_data


class PartyDateField(forms.DateField):
    """A date of party life typed dd/mm/yyyy, bounded as the services bound it (partyorg.lib.dates)."""

    widget = DATE_WIDGET

    def validate(self, value):
        super().validate(value)
        if value:
            problem = party_date_problem(value, str(self.label or "Ngày"))
            if problem:
                raise forms.ValidationError(problem, code="party_date")
