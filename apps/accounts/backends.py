from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.http import HttpRequest

from apps.accounts.models import User
from apps.core import sql


@functools.cache
def _user_sql() -> tuple[list[str], str]:
    """Every column of the user by primary key: fixed SQL built once from the model."""
    names, cols = sql.columns(User, "u")
    quote = connections[router.db_for_read(User)].ops.quote_name
    pk = quote(User._meta.pk.column)
    return names, f"SELECT {cols} FROM {quote(User._meta.db_table)} u WHERE u.{pk} = %s"  # noqa: S608 (model names)


class EmailBackend(ModelBackend):
    """Case-insensitive email login."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        email = kwargs.get("email") or username
        if not email or not password:
            return None
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> User | None:
        """The signed-in person of every request (Django's ``ModelBackend.get_user``, same
        result): one prepared statement instead of an ORM query compiled at each request (≈ a
        tenth of the CPU of a ballot, bench/README.md "Voting day")."""
        names, statement = _user_sql()
        user = sql.fetch_instance(User, names, statement, [user_id])
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
