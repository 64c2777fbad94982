"""Helpers shared by the back-office views."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from apps.core.models import Process

if TYPE_CHECKING:
    from apps.accounts.models import User


def actor(request: HttpRequest) -> User:
    """The signed-in staff member (views are wrapped by ``staff_required``)."""
    return cast("User", request.user)


def process_or_404(pk: int) -> Process:
    return get_object_or_404(Process.objects.select_related("territory"), pk=pk)


def attach_errors(form: BaseForm, error: ValidationError) -> None:
    """Service errors (dict-shaped when they name a field) shown on the form in French."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def saved(request: HttpRequest, form: BaseForm, save: Callable[[], object], *, success: str) -> bool:
    """True once a POSTed, valid form has been saved by ``save`` (a service call) and ``success``
    queued as a message; service errors are put on the form, which the view then renders again."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        attach_errors(form, error)
        return False
    messages.success(request, success)
    return True


def render_page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return TemplateResponse(request, template, context, status=status)


def redirect(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url)
