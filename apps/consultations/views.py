"""Public pages of a conversation: vote, write a statement, read the opinion map. No JavaScript
needed anywhere: every action is a plain form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.consultations import rules, selectors, services
from apps.consultations.forms import StatementForm
from apps.consultations.mapping import next_statement_for
from apps.consultations.models import Conversation, Statement, Vote
from apps.consultations.presentation import map_view
from apps.core import ratelimits
from apps.core.ratelimits import ratelimit

# Five statements per ten minutes; a statement sent back with an error does not count.
CREATE_LIMIT = {"group": "consultations.statement", "rate": "5/10m"}
VOTE_VALUES = {"agree": Vote.Value.AGREE, "disagree": Vote.Value.DISAGREE, "pass": Vote.Value.PASS}


def _conversation_or_404(request: HttpRequest, pk: int) -> Conversation:
    conversation = selectors.conversation(pk)
    if conversation is None or not rules.can_view_conversation(request.user, conversation):
        raise Http404
    return conversation


def _page(
    request: HttpRequest, conversation: Conversation, form: StatementForm | None, status: int = 200
) -> HttpResponse:
    statements = selectors.published_statements(conversation)
    user = request.user
    voted = selectors.votes_of(conversation, user.pk) if user.is_authenticated else {}
    can_vote = rules.can_vote_in(user, conversation)
    current = None
    if can_vote:
        pk = next_statement_for(selectors.snapshot(conversation), list(statements), set(voted))
        current = statements.get(pk) if pk is not None else None
    can_write = rules.can_write_statement(user, conversation)
    context: dict[str, Any] = {
        "conversation": conversation,
        "process": conversation.process,
        "current": current,
        "can_vote": can_vote,
        "can_write": can_write,
        "form": (form or StatementForm()) if can_write else None,
        "n_statements": len(statements),
        "n_voted": sum(1 for pk in voted if pk in statements),
        "hidden": selectors.hidden_statements(conversation),
    }
    return render(request, "consultations/conversation.html", context, status=status)


@require_http_methods(["GET"])
def conversation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _conversation_or_404(request, pk), None)


@require_http_methods(["GET", "POST"])
def statement_create(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation_or_404(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.get_absolute_url())
    if not rules.can_write_statement(request.user, conversation):
        raise PermissionDenied
    if request.method == "GET":
        return redirect(f"{conversation.get_absolute_url()}#nouvelle-affirmation")
    ratelimits.check_successes(request, **CREATE_LIMIT)
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            statement = services.statement_create(
                author=request.user,
                conversation=conversation,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            if "__all__" in getattr(error, "error_dict", {}):
                form.add_error("text", _("Cette affirmation existe déjà dans la conversation."))
            else:
                form.add_error("text", error)
        else:
            ratelimits.count_success(request, **CREATE_LIMIT)
            if statement.status == Statement.Status.PENDING:
                messages.success(
                    request, _("Merci ! Votre affirmation sera publiée après relecture par la modération.")
                )
            else:
                messages.success(
                    request, _("Merci ! Votre affirmation est publiée : les autres peuvent maintenant voter.")
                )
            return redirect(conversation)
    return _page(request, conversation, form, status=400)


@require_POST
@ratelimit(key="user_or_ip", rate="120/m", method="POST", block=True)
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    statement = Statement.objects.select_related("conversation__process").filter(pk=pk).first()
    if statement is None or not rules.can_view_conversation(request.user, statement.conversation):
        raise Http404
    conversation = statement.conversation
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.get_absolute_url())
    if not rules.can_vote(request.user, statement):
        raise PermissionDenied
    value = VOTE_VALUES.get(request.POST.get("value", ""))
    if value is None:
        messages.error(request, _("Choisissez « D'accord », « Pas d'accord » ou « Je passe »."))
    else:
        services.vote_cast(participant=request.user, statement=statement, value=value)
    return redirect(reverse("consultations:conversation", args=[conversation.pk]) + "#voter")


@require_http_methods(["GET"])
def opinion_map(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _conversation_or_404(request, pk)
    snapshot = selectors.snapshot(conversation)
    statements = selectors.published_statements(conversation)
    user_pk = request.user.pk if request.user.is_authenticated else None
    context = {"conversation": conversation, "process": conversation.process, "snapshot": snapshot}
    context.update(map_view(snapshot, statements, user_pk))
    return render(request, "consultations/map.html", context)
