from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .dates import party_date_problem

# Dates are typed as Vietnamese write them. A text input, not inputmode=numeric: phone keypads
# in numeric mode have no "/".
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})


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
