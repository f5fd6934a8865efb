"""Scope cases of the roster import URLs (merged into tests/test_scope_matrix.py)."""

from members.models import RosterImport


def _roster_import_in(org_name):
    def case(fx):
        organization = getattr(fx.tree, org_name)
        # The file is never opened by these requests: a stored name is enough.
        roster_import = RosterImport.objects.create(
            organization=organization,
            uploaded_by=fx.personas.admin,
            file="rosters/khong-mo.xlsx",
            file_name="danh-sach.xlsx",
            status=RosterImport.Status.CHECKED,
            row_count=1,
            new_count=1,
        )
        return roster_import, organization

    return case


CASES = {
    "members:import_detail": [
        _roster_import_in("base"),
        _roster_import_in("branch_a"),
        _roster_import_in("other_ward"),
    ],
    "members:import_status": [_roster_import_in("branch_b"), _roster_import_in("other_ward")],
    "members:import_confirm": [_roster_import_in("base"), _roster_import_in("other_branch")],
}
