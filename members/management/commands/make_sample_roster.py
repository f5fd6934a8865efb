from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.sample_roster import write_sample_roster
from organizations.models import Organization
from organizations.selectors import active_branches_under
from partyorg.lib.dates import parse_vietnamese_date, today


class Command(BaseCommand):
    help = (
        "Viết một danh sách đảng viên mẫu (.xlsx) như các chi bộ tự lập trong Excel, cho các chi bộ của một tổ chức "
        "đã có trong cơ sở dữ liệu; dùng để thử «Nhập từ Excel» hoặc `import_roster`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx sẽ ghi ra.")
        parser.add_argument("--org", default="BN-XG", help="Mã tổ chức có các chi bộ (mặc định BN-XG, phường mẫu).")
        parser.add_argument("--rows", type=int, default=300, help="Số đảng viên (mặc định 300).")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng danh sách.")
        parser.add_argument("--on", help="Ngày lập danh sách dd/mm/yyyy (mặc định hôm nay); không ngày nào sau nó.")

    def handle(self, *args, **options):
        organization = Organization.objects.filter(code=options["org"].strip()).first()
        if organization is None:
            raise CommandError(f"Không có tổ chức mã «{options['org']}».")
        names = [branch.name for branch in sorted(active_branches_under(organization), key=lambda b: b.path)]
        if not names:
            raise CommandError(f"{organization.name} không có chi bộ nào đang hoạt động.")
        if len(set(names)) < len(names):
            # A sheet names branches, not codes: two branches of one name could not be told apart on import.
            raise CommandError(f"{organization.name} có hai chi bộ trùng tên; hãy chọn một tổ chức nhỏ hơn.")
        if options["rows"] < 1:
            raise CommandError("Số dòng phải lớn hơn 0.")
        try:
            on = parse_vietnamese_date(options["on"]) if options["on"] else today()
        except ValueError:
            raise CommandError(f"Ngày «{options['on']}» không hợp lệ (ghi theo dd/mm/yyyy).") from None
        path = Path(options["file"])
        rows = write_sample_roster(
            path,
            rows=options["rows"],
            seed=options["seed"],
            organization_name=organization.name,
            branch_names=names,
            place=_place_of(organization),
            today=on,
        )
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {rows} đảng viên của {organization.name} vào {path}."))


def _place_of(organization: Organization) -> str:
    """The address line of the organization's area: 'phường Xương Giang, tỉnh Bắc Ninh' from the tree's names."""
    names = [organization.name, *(a.name for a in reversed(Organization.objects.get_ancestors(organization)))]
    return ", ".join(name.removeprefix("Đảng bộ ").removeprefix("Chi bộ ") for name in names)
