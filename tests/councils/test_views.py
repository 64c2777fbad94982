"""Public pages, attestation, back-office forms (French errors that keep the input), open data."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.models import Territory
from apps.councils.manifest import council_rows, decision_rows, meeting_rows
from apps.councils.models import College, Council, Membership
from apps.sittings.models import Attendance
from tests.conftest import Personas, body_of
from tests.councils.factories import (
    CouncilFactory,
    DecisionFactory,
    DrawFactory,
    MeetingFactory,
    MembershipFactory,
    PoolMemberFactory,
)

pytestmark = pytest.mark.django_db


def test_public_pages_show_public_names_only(client: Client, council: Council) -> None:
    member = MembershipFactory.create(council=council, full_name="Awa Secretnom", public_name="Awa S.")
    meeting = MeetingFactory.create(council=council, minutes="**Avis adopté**")
    DecisionFactory.create(council=council, title="Soutien au jardin", meeting=meeting)
    DecisionFactory.create(council=council, title="Décision brouillon", is_published=False)
    MeetingFactory.create(council=council, title="Réunion non publiée", is_published=False)
    CouncilFactory.create(name="Instance en préparation", is_published=False)

    listing = client.get(reverse("councils:list")).content.decode()
    assert council.name in listing and "Instance en préparation" not in listing

    page = client.get(council.get_absolute_url()).content.decode()
    assert member.public_name in page and "Secretnom" not in page
    assert "Soutien au jardin" in page and "Décision brouillon" not in page
    assert "Réunion non publiée" not in page
    assert "3 pour, 0 contre, 1 abstention" in page
    assert "2 sièges vacants" in page or "3 sièges vacants" in page

    meeting_page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Avis adopté</strong>" in meeting_page and "Soutien au jardin" in meeting_page


def test_unpublished_council_and_meeting_are_hidden_from_residents(
    client_for: Callable[[User | None], Client], personas: Personas, council: Council
) -> None:
    hidden = MeetingFactory.create(council=council, is_published=False)
    for persona, status in (("resident", 404), ("agent", 200), ("elu", 200), ("admin_elsewhere", 404)):
        assert client_for(personas[persona]).get(hidden.get_absolute_url()).status_code == status, persona
    Council.objects.filter(pk=council.pk).update(is_published=False)
    for persona, status in (("anonymous", 404), ("resident", 404), ("moderator", 404), ("agent", 200)):
        assert client_for(personas[persona]).get(council.get_absolute_url()).status_code == status, persona


def test_attestation_is_for_the_member_or_an_agent_only(
    client_for: Callable[[User | None], Client], personas: Personas, council: Council
) -> None:
    membership = MembershipFactory.create(council=council, user=personas["resident"], full_name="Awa Résidente")
    meeting = MeetingFactory.create(council=council, title="Session de printemps")
    skipped = MeetingFactory.create(council=council, title="Session sans elle")
    Attendance.objects.create(sitting=meeting, member=membership, status=Attendance.Status.PRESENT)
    Attendance.objects.create(sitting=skipped, member=membership, status=Attendance.Status.EXCUSED)
    url = reverse("councils:attestation", kwargs={"slug": council.slug, "pk": membership.pk})

    own = client_for(personas["resident"]).get(url)
    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert own.content.startswith(b"%PDF")
    assert "attachment" in own["Content-Disposition"]
    assert b"Session de printemps" in own.content and b"Session sans elle" not in own.content
    assert client_for(personas["agent"]).get(url).status_code == 200
    for persona in ("other_resident", "elu", "moderator", "admin_elsewhere"):
        assert client_for(personas[persona]).get(url).status_code == 403, persona
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    # The slug must match the membership's council.
    other = CouncilFactory.create()
    wrong = reverse("councils:attestation", kwargs={"slug": other.slug, "pk": membership.pk})
    assert client_for(personas["resident"]).get(wrong).status_code == 404


def test_member_page_links_to_the_own_attestation(
    client_for: Callable[[User | None], Client], personas: Personas, council: Council
) -> None:
    membership = MembershipFactory.create(council=council, user=personas["resident"])
    page = client_for(personas["resident"]).get(council.get_absolute_url()).content.decode()
    assert reverse("councils:attestation", kwargs={"slug": council.slug, "pk": membership.pk}) in page
    other_page = client_for(personas["other_resident"]).get(council.get_absolute_url()).content.decode()
    assert "attestation" not in other_page


def test_member_form_errors_are_french_and_keep_the_input(
    client_for: Callable[[User | None], Client], personas: Personas, council: Council
) -> None:
    url = reverse("councils_admin:member_add", kwargs={"pk": council.pk})
    response = client_for(personas["agent"]).post(
        url,
        {
            "college": College.LOCAL_ACTORS,
            "origin": "appointed",
            "full_name": "Nadia Haddad",
            "user_email": "personne-inconnue@example.org",
            "term_start": "2026-09-01",
            "term_end": "2026-08-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "La fin du mandat doit venir après son début." in page
    assert "Aucun compte actif n&#x27;utilise cette adresse." in page
    assert 'value="Nadia Haddad"' in page
    assert 'value="personne-inconnue@example.org"' in page
    assert 'href="#id_term_end"' in page  # the error summary links to the field


def test_member_form_adds_then_reports_a_full_college(
    client_for: Callable[[User | None], Client], personas: Personas, council: Council
) -> None:
    client = client_for(personas["agent"])
    url = reverse("councils_admin:member_add", kwargs={"pk": council.pk})
    data = {"college": College.LOCAL_ACTORS, "origin": "appointed", "term_start": "2026-09-01"}
    for name in ("Nadia Haddad", "Loïc Kerjean"):
        response = client.post(url, {**data, "full_name": name})
        assert response.status_code == 302
    response = client.post(url, {**data, "full_name": "Une Troisième", "user_email": personas["elu"].email})
    assert response.status_code == 400
    assert "sont pourvus" in response.content.decode()
    assert Membership.objects.filter(council=council).count() == 2
    # An élu may sit in a college: linked by the e-mail of the account.
    jury = CouncilFactory.create(territory=council.territory, kind=Council.Kind.JURY, seats_elected=2, seats_drawn=0)
    response = client.post(
        reverse("councils_admin:member_add", kwargs={"pk": jury.pk}),
        {
            "college": College.ELECTED,
            "origin": "appointed",
            "term_start": "2026-09-01",
            "user_email": personas["elu"].email,
        },
    )
    assert response.status_code == 302
    assert jury.memberships.get().user == personas["elu"]


def test_council_create_form_in_french(
    client_for: Callable[[User | None], Client], personas: Personas, quartier: Territory
) -> None:
    client = client_for(personas["agent"])
    url = reverse("councils_admin:create")
    response = client.post(url, {"name": "Conseil citoyen du Breil", "term_months": "24"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page and 'value="Conseil citoyen du Breil"' in page
    response = client.post(
        url,
        {
            "kind": "conseil_citoyen",
            "name": "Conseil citoyen du Breil",
            "territory": quartier.pk,
            "mission": "Associer les habitants.",
            "seats_drawn": "12",
            "seats_volunteers": "0",
            "seats_local_actors": "4",
            "seats_elected": "0",
            "term_months": "24",
            "renewal_rule": "halves",
        },
    )
    council = Council.objects.get(slug="conseil-citoyen-du-breil")
    assert response.status_code == 302 and response["Location"].endswith(f"/gestion/conseils/{council.pk}/")


def test_import_renewal_attendance_through_the_back_office(
    client_for: Callable[[User | None], Client], personas: Personas, council: Council, quartier: Territory
) -> None:
    client = client_for(personas["agent"])
    draw = DrawFactory.create(territory=quartier)
    PoolMemberFactory.create_batch(5, draw=draw)
    today = timezone.localdate()
    response = client.post(
        reverse("councils_admin:member_import", kwargs={"pk": council.pk}),
        {
            "draw": draw.pk,
            "term_start": (today - datetime.timedelta(days=400)).isoformat(),
            "term_end": today.isoformat(),
        },
    )
    assert response.status_code == 302
    assert council.memberships.filter(college=College.DRAWN).count() == 4
    meeting = MeetingFactory.create(council=council)
    members = list(council.memberships.all())
    response = client.post(
        reverse("councils_admin:attendance", kwargs={"pk": meeting.pk}),
        {f"presence-{members[0].pk}": "present", f"presence-{members[1].pk}": "excused"},
    )
    assert response.status_code == 302
    assert meeting.attendances.count() == 2
    # The attendance chart and the table's columns carry the same counts.
    detail = client.get(reverse("councils_admin:detail", kwargs={"pk": council.pk})).content.decode()
    assert "Présence aux réunions" not in detail  # the chart's title is not printed, its caption is
    assert "Membres présents, excusés et absents à chaque réunion" in detail
    assert '<span class="chart-row-value">1 sur 2</span>' in detail
    assert 'class="tone-ok" x="0.0" width="50.0"' in detail
    response = client.post(reverse("councils_admin:renewal", kwargs={"pk": council.pk}), {"held_on": today.isoformat()})
    assert response.status_code == 302
    assert not council.memberships.filter(status="active").exists()
    detail = client.get(reverse("councils_admin:detail", kwargs={"pk": council.pk})).content.decode()
    assert "4 sièges vacants" in detail


def test_attendance_with_an_unknown_status_is_refused(
    client_for: Callable[[User | None], Client], personas: Personas, council: Council
) -> None:
    member = MembershipFactory.create(council=council)
    meeting = MeetingFactory.create(council=council)
    response = client_for(personas["agent"]).post(
        reverse("councils_admin:attendance", kwargs={"pk": meeting.pk}), {f"presence-{member.pk}": "téléporté"}
    )
    assert response.status_code == 400
    assert "Statut de présence inconnu." in response.content.decode()


def test_elus_read_the_back_office_but_do_not_edit(
    client_for: Callable[[User | None], Client], personas: Personas, council: Council
) -> None:
    client = client_for(personas["elu"])
    page = client.get(reverse("councils_admin:detail", kwargs={"pk": council.pk}))
    assert page.status_code == 200
    assert reverse("councils_admin:member_add", kwargs={"pk": council.pk}) not in page.content.decode()
    assert client.get(reverse("councils_admin:member_add", kwargs={"pk": council.pk})).status_code == 403
    assert council.name in client.get(reverse("councils_admin:list")).content.decode()


def test_open_data_has_counts_and_no_personal_data(council: Council) -> None:
    MembershipFactory.create(council=council, full_name="Awa Secretnom", public_name="Awa S.")
    meeting = MeetingFactory.create(council=council)
    DecisionFactory.create(council=council, meeting=meeting)
    CouncilFactory.create(is_published=False)
    [row] = list(council_rows(None))
    assert row["members_drawn"] == 1 and row["seats_drawn"] == 4 and row["seats_local_actors"] == 2
    assert len(list(meeting_rows(None))) == 1
    [decision] = list(decision_rows(None))
    assert decision["votes_for"] == 3
    dump = repr([row, *meeting_rows(None), decision])
    assert "Secretnom" not in dump and "Awa" not in dump


def test_open_data_export_endpoint_streams_councils(client: Client, council: Council) -> None:
    response = client.get(reverse("opendata:export", kwargs={"name": "councils", "fmt": "csv"}))
    assert response.status_code == 200
    body = body_of(response).decode()
    assert "members_drawn" in body.splitlines()[0] and council.slug in body
