from django import forms

from partyorg.lib.forms import ChoicePromptMixin


class OTPCodeForm(ChoicePromptMixin, forms.Form):
    code = forms.CharField(
        label="Mã xác thực",
        max_length=10,
        help_text="6 chữ số đang hiện trên ứng dụng xác thực của bạn (Google Authenticator, Microsoft "
        "Authenticator, FreeOTP…); mã đổi sau mỗi 30 giây.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "pattern": "[0-9 ]*"}
        ),
    )
