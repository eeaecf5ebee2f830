from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Django's login form; a user refused after the right password (no role, a demo
    account outside the demo) is told why, in Chinese."""

    def get_invalid_login_error(self):
        refusal = getattr(self.request, "login_refusal", None)
        if refusal:
            return forms.ValidationError(refusal, code="refused")
        return super().get_invalid_login_error()


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "请输入验证码。"},
    )
