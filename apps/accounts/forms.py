"""Forms of the accounts app: they parse and validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.models import Territory

# Honest about today: the representativeness statistics are not computed yet (a later
# version publishes them, aggregated only); nothing is published until then.
CONSENT_LABEL = _(
    "J'accepte que ma tranche d'âge et mon genre soient utilisés uniquement pour des statistiques de "
    "représentativité, "
    "publiées plus tard et seulement de manière agrégée"
)
CONSENT_HELP = _(
    "Facultatif. Ces statistiques ne sont pas encore produites : rien n'est publié tant qu'elles n'existent pas. "
    "Sans cette case cochée, la tranche d'âge et le genre ne sont pas enregistrés. "
    "Vous pouvez retirer votre accord à tout moment dans votre profil : ils sont alors effacés."
)


def quartier_choices() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Votre quartier"),
        queryset=Territory.objects.filter(kind=Territory.Kind.QUARTIER).order_by("name"),
        required=False,
        empty_label=_("Je ne souhaite pas le dire"),
        help_text=_("Facultatif. Pour vous montrer d'abord ce qui se discute près de chez vous."),
    )


class DemographicsMixin(forms.Form):
    demographics_consent = forms.BooleanField(label=CONSENT_LABEL, required=False, help_text=CONSENT_HELP)
    age_band = forms.ChoiceField(
        label=_("Tranche d'âge (facultatif)"),
        choices=[("", _("Je préfère ne pas répondre")), *User.AgeBand.choices],
        required=False,
    )
    gender = forms.ChoiceField(
        label=_("Genre (facultatif)"),
        choices=[("", _("Je préfère ne pas répondre")), *User.Gender.choices],
        required=False,
    )


class SignupForm(DemographicsMixin):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Elle sert à vous connecter. Elle n'est jamais affichée."),
    )
    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        help_text=_("Affiché avec vos contributions : un prénom ou un pseudonyme suffit."),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("10 caractères au moins, pas uniquement des chiffres, pas trop courant."),
    )
    field_order = ["email", "display_name", "password", "home_territory", "demographics_consent", "age_band", "gender"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_territory"] = quartier_choices()
        self.order_fields(self.field_order)

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Un compte existe déjà avec cette adresse. Connectez-vous ou demandez un nouveau mot de passe.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), display_name=cleaned.get("display_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class MagicLinkForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ProfileForm(DemographicsMixin):
    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=80,
        help_text=_("Affiché avec vos contributions : un prénom ou un pseudonyme suffit."),
    )
    email_frequency = forms.ChoiceField(
        label=_("Courriels de notification"),
        choices=User.EmailFrequency.choices,
        widget=forms.RadioSelect,
    )
    field_order = ["display_name", "home_territory", "email_frequency", "demographics_consent", "age_band", "gender"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_territory"] = quartier_choices()
        self.order_fields(self.field_order)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the email leaves through the task queue, never inside the
    request: the answer then takes the same time whether or not the address exists."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template import loader

        from apps.accounts.tasks import send_account_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_account_email(subject=subject, body=body, to=to_email)
