"""Scope cases of the roster import and CCCD change URLs (merged into tests/test_scope_matrix.py)."""

from django.core.files.base import ContentFile

from members.models import MemberExport, RosterImport
from tests.matrix import act, read


def _roster_import_in(org_name, status=RosterImport.Status.CHECKED):
    def case(fx):
        organization = getattr(fx.tree, org_name)
        # The file is never opened by these requests: a stored name is enough.
        roster_import = RosterImport.objects.create(
            organization=organization,
            uploaded_by=fx.personas.admin,
            file="rosters/khong-mo.xlsx",
            file_name="danh-sach.xlsx",
            status=status,
            row_count=1,
            new_count=1,
        )
        return roster_import, organization

    return case


# Import reports hold personal data of a whole sheet: only the roles that import there read them.
SECRETARIES = {"secretary_a", "secretary_b"}


def NO_PAYLOAD(fx, roster_import):  # noqa: N802 - a constant in use
    return {}


def _member(name):
    return lambda fx: (getattr(fx.members, name), getattr(fx.members, name).branch)


def _new_personal_id(fx, member):
    from tests.factories import personal_id_for

    return {
        "personal_id": personal_id_for(member.gender, member.birth_date),
        "gender": member.gender,
        "birth_date": f"{member.birth_date:%d/%m/%Y}",
        "reason": "Cấp lại thẻ CCCD",
    }


def _org(name):
    return lambda fx: (getattr(fx.tree, name), getattr(fx.tree, name))


def _export_by(persona_name, org_name):
    """A finished export kept for one persona, its file stored (the download reads it)."""

    def case(fx):
        fx.settings.MEDIA_ROOT = fx.tmp_path
        export = MemberExport.objects.create(
            requested_by=getattr(fx.personas, persona_name),
            organization=getattr(fx.tree, org_name),
            status=MemberExport.Status.DONE,
            row_count=1,
        )
        export.file.save("xuat.xlsx", ContentFile(b"PK"), save=True)
        return export, export.organization

    return case


# An export is its requester's alone: everybody else, in scope or not, gets 404.
EXPORT_CASES = [
    read(_export_by("superior", "ward"), private_to={"superior"}),
    read(_export_by("secretary_a", "branch_a"), private_to={"secretary_a"}),
    read(_export_by("superior_and_secretary", "other_ward"), private_to={"superior_and_secretary"}),
]

CASES = {
    "members:export_detail": EXPORT_CASES,
    "members:export_status": EXPORT_CASES,
    "members:export_download": EXPORT_CASES,
    "members:organization_panel": [read(_org(n)) for n in ("branch_a", "base", "ward", "other_ward")],
    "members:probation_panel": [read(_org("branch_a")), read(_org("base_branch")), read(_org("other_ward"))],
    # The CCCD on file is replaced by the level that keeps member files, through a role over the member's branch.
    "members:change_personal_id": [
        act(_member("an"), {"base", "base_and_secretary", "superior", "province"}, _new_personal_id),
        act(_member("other"), {"outsider", "province", "superior_and_secretary"}, _new_personal_id),
        act(_member("binh"), {"superior", "province"}, _new_personal_id),
    ],
    "members:import_detail": [
        read(_roster_import_in("base")),
        read(_roster_import_in("branch_a"), not_readers=SECRETARIES),
        read(_roster_import_in("other_ward")),
        # A secretary there through a second role: no import report.
        read(_roster_import_in("other_branch"), not_readers={"base_and_secretary"}),
    ],
    "members:import_status": [
        read(_roster_import_in("branch_b"), not_readers=SECRETARIES),
        read(_roster_import_in("other_ward")),
        read(_roster_import_in("base_branch"), not_readers={"superior_and_secretary"}),
    ],
    "members:import_confirm": [
        act(_roster_import_in("base"), {"base", "base_and_secretary", "superior", "province"}, lambda fx, o: {}, True),
        act(
            _roster_import_in("other_branch"),
            {"outsider", "province", "superior_and_secretary"},
            lambda fx, o: {},
            True,
        ),
        act(_roster_import_in("base_branch"), {"superior", "province"}, lambda fx, o: {}, True),
    ],
    "members:import_retry": [
        act(
            _roster_import_in("base", RosterImport.Status.FAILED),
            {"base", "base_and_secretary", "superior", "province"},
            NO_PAYLOAD,
            True,
        ),
        act(
            _roster_import_in("other_branch", RosterImport.Status.FAILED),
            {"outsider", "province", "superior_and_secretary"},
            NO_PAYLOAD,
            True,
        ),
    ],
}
