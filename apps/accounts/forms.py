"""Forms of the accounts app: they parse and validate; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.forms import DateInput
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


def quartier_choices() -> forms.ModelChoiceField[Territory]:
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
        # No "an account already exists" here: the sign-up answers the same page whether or
        # not the address has an account, and mails its owner instead (verification.signup_request).
        return User.objects.normalize_email(self.cleaned_data["email"].strip())

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


class BirthDateField(forms.DateField):
    """Typed as JJ/MM/AAAA whatever the browser (a text input: native date pickers differ)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Date de naissance"))
        kwargs.setdefault(
            "error_messages", {"invalid": _("Saisissez une date au format JJ/MM/AAAA, par exemple 14/07/1990.")}
        )
        super().__init__(
            input_formats=["%d/%m/%Y", "%Y-%m-%d"],
            widget=DateInput(attrs={"autocomplete": "bday", "inputmode": "numeric"}),
            **kwargs,
        )

    def clean(self, value: Any) -> Any:
        born = super().clean(value)
        if born is not None and (born > timezone.localdate() or born.year < 1900):
            raise forms.ValidationError(_("Saisissez une date de naissance réelle."))
        return born


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
    birth_date = BirthDateField(
        required=False,
        help_text=_(
            "Facultatif. Format JJ/MM/AAAA. Elle sert seulement aux votes qui ont une condition d'âge ; "
            "elle est fixée lors de votre premier vote."
        ),
    )
    field_order = [
        "display_name",
        "home_territory",
        "birth_date",
        "email_frequency",
        "demographics_consent",
        "age_band",
        "gender",
    ]

    def __init__(self, *args: Any, birth_date_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_territory"] = quartier_choices()
        if birth_date_locked:
            # Shown, not editable: whatever is posted, the stored value is kept.
            field = self.fields["birth_date"]
            field.disabled = True
            field.help_text = _(
                "Fixée lors de votre premier vote. Si elle est fausse, elle est corrigée par un agent à "
                "l'accueil de la mairie, sur présentation d'une pièce d'identité."
            )
        self.order_fields(self.field_order)


class CensusCheckForm(forms.Form):
    """ "Vérifier mon adresse": the facts as written on the electoral or census list."""

    nom = forms.CharField(
        label=_("Nom de famille"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    prenom = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        help_text=_("Votre premier prénom suffit."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    birth_date = BirthDateField(help_text=_("Format JJ/MM/AAAA, par exemple 14/07/1990."))
    address = forms.CharField(
        label=_("Adresse"),
        max_length=250,
        help_text=_("Numéro et rue, par exemple « 12 rue de la Paix »."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.RegexField(
        label=_("Code postal"),
        regex=r"^\s*\d{2}\s?\d{3}\s*$",
        max_length=8,
        error_messages={"invalid": _("Saisissez un code postal de 5 chiffres, par exemple 44000.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )


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
