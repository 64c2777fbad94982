"""A guard against one browser or one person answering an anonymous questionnaire many times.

What it does:

- after an answer, the browser keeps a signed cookie holding the questionnaire's token (an HMAC
  of the questionnaire's number with the site's secret key: the same for every browser, so it
  names nobody and nothing server-side ties it to the answer); a second answer from that
  browser is refused with a French message, unless the person says they are someone else
  (:data:`NEXT_PERSON`: a shared device at a library or a meeting must not turn people away);
- the answers accepted from one network address for one questionnaire are limited
  (:data:`RATE` by default); django-ratelimit keeps only a hash of the address in the cache,
  for the window only, never next to the answers.

What it is not: a proof of uniqueness. Clearing cookies, a private window or a second device
gets past the cookie; a mobile network or a shared box gives many people one address (hence
the generous limit). Answers that must count once per person use a signed questionnaire
(an account, one answer per person enforced by the database).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.consultations.questionnaires.models import Questionnaire
from apps.core import ratelimits

SALT = "consultations.questionnaire.answered"
# The field (a query parameter on the page, a ticked box in the form) by which the next person on
# a shared device says they have not answered yet. The cookie only stops a browser resending by
# mistake; a private window gets past it just as well, the address's limit is what holds.
NEXT_PERSON = "autre_personne"
RATE = "20/h"
MAX_AGE = 366 * 24 * 3600  # a consultation rarely runs longer than a year


def _cookie(questionnaire: Questionnaire) -> str:
    return f"questionnaire_{questionnaire.pk}"


def _token(questionnaire: Questionnaire) -> str:
    return salted_hmac(SALT, str(questionnaire.pk), algorithm="sha256").hexdigest()[:32]


def _group(questionnaire: Questionnaire) -> str:
    return f"consultations.questionnaire.{questionnaire.pk}"


def applies(questionnaire: Questionnaire) -> bool:
    """Signed questionnaires have the database's one-answer-per-person instead."""
    return not questionnaire.signed


def already_answered(request: HttpRequest, questionnaire: Questionnaire) -> bool:
    if not applies(questionnaire):
        return False
    kept = request.get_signed_cookie(_cookie(questionnaire), default="", salt=SALT, max_age=MAX_AGE) or ""
    return bool(kept) and constant_time_compare(kept, _token(questionnaire))


def check_rate(request: HttpRequest, questionnaire: Questionnaire) -> None:
    """Raise ``Ratelimited`` (the 429 page) when this address has used up its answers."""
    if applies(questionnaire):
        ratelimits.check_successes(request, group=_group(questionnaire), rate=RATE)


def remember(request: HttpRequest, response: HttpResponse, questionnaire: Questionnaire) -> None:
    """After an accepted answer: count it for the address, mark the browser."""
    if not applies(questionnaire):
        return
    ratelimits.count_success(request, group=_group(questionnaire), rate=RATE)
    response.set_signed_cookie(
        _cookie(questionnaire),
        _token(questionnaire),
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        path=questionnaire.get_absolute_url(),
    )
