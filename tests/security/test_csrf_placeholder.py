"""Issue 8, item 6: a comment containing the CSRF stand-in of the cached comment threads must
not show each viewer their own CSRF token (the stand-in was a fixed, public string)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.proposals import fragments
from tests.security.world import World

OLD_PLACEHOLDER = "__archipel_csrf_token__"


def test_a_comment_with_the_placeholder_shows_no_token(
    world: World, client_for: Callable[[User | None], Client]
) -> None:
    attacker = client_for(world.user("other_resident"))
    url = world.proposal.get_absolute_url()
    body = f"Regardez : {OLD_PLACEHOLDER} et {fragments.CSRF_PLACEHOLDER_PREFIX}0123456789abcdef__ fin."
    response = attacker.post(
        reverse("proposals:comment", kwargs={"pk": world.proposal.pk}), {"body": body, "stance": "neutral"}
    )
    assert response.status_code in (302, 303), response.status_code

    viewer: Client = client_for(world.user("resident"))
    for _attempt in range(2):  # rendered, then served from the cache
        html = viewer.get(url).content.decode()
        assert OLD_PLACEHOLDER in html
        match = re.search(r"Regardez\s: (.*?) fin\.", html)
        assert match is not None
        shown = match.group(1)
        assert shown == f"{OLD_PLACEHOLDER} et {fragments.CSRF_PLACEHOLDER_PREFIX}0123456789abcdef__", shown
        # The reply forms still carry the viewer's real token.
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert tokens and all(not token.startswith("__") for token in tokens)
        assert all(token not in shown for token in tokens)
