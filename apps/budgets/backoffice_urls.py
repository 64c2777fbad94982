"""Back office of participatory budgets (``/gestion/budgets/``)."""

from __future__ import annotations

from apps.budgets.projects import urls as projects
from apps.budgets.voting import urls as voting

app_name = "budgets_admin"

urlpatterns = [*projects.backoffice, *voting.backoffice]
