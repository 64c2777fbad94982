"""Public pages of participatory budgets (``/budgets/``): projects and envelopes, vote, results."""

from __future__ import annotations

from apps.budgets.projects import urls as projects
from apps.budgets.voting import urls as voting

app_name = "budgets"

urlpatterns = [*projects.public, *voting.public]
