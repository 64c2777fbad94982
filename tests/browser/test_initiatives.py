"""With the keyboard only and without JavaScript: an idea filed at the two-minute open door, a pledge
to a matchfunded project, an offer of help (« rejoindre »)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import Page

from apps.initiatives.models import Channel, HelpOffer, Initiative, Pledge
from tests.browser.helpers import tab_to
from tests.browser.test_keyboard import focus_inside, is_field, is_submit
from tests.security.world import World


def test_a_resident_files_an_idea_with_the_keyboard_and_no_javascript(
    world: World, page_for: Callable[..., Page]
) -> None:
    page: Page = page_for(world.user("other_resident"), java_script_enabled=False)
    page.goto(reverse("initiatives:file"))
    form = "#contenu form[method=post i]"
    tab_to(page, is_field("title"))
    page.keyboard.type("Un troc de plantes sur la place")
    tab_to(page, is_field("description"))
    page.keyboard.type("Chacun apporte ses boutures, un dimanche par mois.")
    tab_to(page, is_field("place"))
    page.keyboard.type("Place du marché")
    tab_to(page, is_field("who"))
    page.keyboard.type("Quelques voisin·es")
    tab_to(
        page,
        lambda current: (
            current.get("name") == "helps"
            and "salle" in page.evaluate("() => document.activeElement.labels[0].innerText.toLowerCase()")
        ),
    )
    page.keyboard.press("Space")
    tab_to(page, lambda current: is_submit(current) and focus_inside(page, form))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    idea = Initiative.objects.get(title="Un troc de plantes sur la place")
    assert idea.holder == world.user("other_resident") and idea.channel == Channel.ONLINE
    assert idea.helps == ["room"] and idea.territory == world.quartier
    assert page.url.endswith(idea.get_absolute_url()), page.url
    assert page.locator("text=Où en est votre idée").count() == 1


def test_a_resident_pledges_with_the_keyboard_and_no_javascript(world: World, page_for: Callable[..., Page]) -> None:
    granted = world.extra["initiatives"].granted
    page: Page = page_for(world.user("elu"), java_script_enabled=False)
    page.goto(reverse("initiatives:detail", kwargs={"pk": granted.pk}))
    form = f"#contenu form[action='{reverse('initiatives:pledge', kwargs={'pk': granted.pk})}']"
    tab_to(page, lambda current: is_field("amount")(current) and focus_inside(page, form))
    page.keyboard.type("25,50")
    tab_to(page, lambda current: is_submit(current) and focus_inside(page, form))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    pledge = Pledge.objects.get(initiative=granted, donor=world.user("elu"))
    assert pledge.amount == Decimal("25.50") and pledge.state == Pledge.State.PENDING
    assert page.locator(f"text={pledge.reference}").count() >= 1


def test_a_resident_joins_a_project_with_the_keyboard_and_no_javascript(
    world: World, page_for: Callable[..., Page]
) -> None:
    idea = world.extra["initiatives"].idea
    page: Page = page_for(world.user("elu"), java_script_enabled=False)
    page.goto(reverse("initiatives:detail", kwargs={"pk": idea.pk}))
    join = reverse("initiatives:join", kwargs={"pk": idea.pk})
    tab_to(page, lambda current: current.get("tag") == "a" and current.get("href", "").endswith(join))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    form = "#contenu form[method=post i]"
    tab_to(page, is_field("skills"))
    page.keyboard.type("Peinture, deux samedis")
    tab_to(page, lambda current: is_submit(current) and focus_inside(page, form))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert HelpOffer.objects.get(initiative=idea, person=world.user("elu")).skills == "Peinture, deux samedis"
    assert page.locator("text=Vous avez proposé votre aide à ce projet.").count() == 1
