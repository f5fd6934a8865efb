from django import forms

# Dates are typed as Vietnamese write them. A text input, not inputmode=numeric: phone keypads
# in numeric mode have no "/".
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})
