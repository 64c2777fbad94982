"""Tasks of the proposals module (huey): the paper contacts' purge, and the email of a
signed answer to a paper contributor."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from apps.proposals.paper import paper_contacts_purge


def _subject(text: str) -> str:
    # Email headers must not contain line breaks (Django raises BadHeaderError).
    return " ".join(text.split())[:200]


@db_periodic_task(crontab(hour="3", minute="30"))
def purge_paper_contacts_task() -> int:
    return paper_contacts_purge()


@db_task()
def send_paper_answer(answer_id: int) -> bool:
    """E-mail a signed answer to the author of a paper contribution; their address is deleted
    once a decision has been sent (an answer « À l'étude » keeps it for the decision)."""
    from apps.answers.models import Answer
    from apps.proposals.models import DECISION_STATUSES, PaperContact
    from apps.proposals.paper import answer_sent

    answer = Answer.objects.filter(pk=answer_id).first()
    if answer is None:
        return False
    contact = PaperContact.objects.filter(proposal_id=answer.source_id).exclude(email="").first()
    if contact is None:
        return False
    proposal = contact.proposal
    with translation.override("fr"):
        subject = _subject(_("Réponse de la Ville à votre proposition « %(title)s »") % {"title": proposal.title})
        context = {
            "answer": answer,
            "proposal": proposal,
            "city": proposal.process.territory.root().name,
            "url": settings.SITE_URL + proposal.get_absolute_url(),
            "subject": subject,
            "is_final": answer.status in DECISION_STATUSES,
        }
        text = render_to_string("proposals/paper_answer_email.txt", context)
        html = render_to_string("proposals/paper_answer_email.html", context)
    send_mail(subject, text, None, [contact.email], html_message=html)
    answer_sent(contact, answer)
    return True
