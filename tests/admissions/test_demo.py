"""The demo data (manage.py seed_demo): every stage of the pipeline, some overdue, on the demo accounts' boards."""

import io

from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from admissions.models import BOARD_STAGES, Dossier, DossierStage

# Base branches of the ward have no base committee vote in between.
WARD_STAGES = set(BOARD_STAGES) - {DossierStage.BASE_PROPOSED, DossierStage.RECOGNITION_BASE}
EXPECTED = {
    "bithu.kp1": WARD_STAGES,
    "bithu.kp2": WARD_STAGES,
    "phuong.xg": WARD_STAGES,
    "bithu.coso": set(BOARD_STAGES),
    "dangbo.coso": set(BOARD_STAGES),
}


def test_demo_accounts_see_every_stage_and_some_overdue_dossiers(client, db):
    call_command("seed_demo", members=500, stdout=io.StringIO())
    for username, expected in EXPECTED.items():
        client.force_login(User.objects.get(username=username))
        response = client.get(reverse("admissions:index"), follow=True)
        columns = response.context["columns"]
        assert {c["stage"] for c in columns if c["count"]} >= expected, username
        assert sum(c["overdue_count"] for c in columns) >= 3, username
    stages = set(Dossier.objects.values_list("stage", flat=True))
    assert {DossierStage.OFFICIAL, DossierStage.STRUCK_OFF, DossierStage.CLOSED} <= stages
