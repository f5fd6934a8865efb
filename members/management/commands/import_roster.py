from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from members import roster_services
from members.models import RosterImport
from members.roster import RosterFileError, read_roster
from organizations.models import Organization
from organizations.permissions import Action, require_action
from partyorg.lib.text import normalize_text


class Command(BaseCommand):
    help = (
        "Nhập danh sách đảng viên từ tệp Excel (.xlsx) vào một tổ chức: kiểm tra mọi dòng, "
        "rồi ghi tất cả hoặc không ghi dòng nào. Trả mã lỗi khác 0 khi có dòng bị từ chối."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx")
        parser.add_argument("--org", required=True, help="Mã tổ chức (ví dụ BN-XG) hoặc tên đúng của tổ chức.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi gì.")
        parser.add_argument("--user", help="Tên đăng nhập của người nhập (ghi vào lịch sử và nhật ký).")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        organization = self._organization(options["org"])
        actor = self._user(options["user"])
        self.stdout.write(f"Tổ chức: {organization.name} ({organization.code})")
        if options["dry_run"]:
            try:
                with path.open("rb") as handle:
                    sheet = read_roster(handle)
            except RosterFileError as error:
                raise CommandError(error.message) from error
            report = roster_services.plan_roster(organization=organization, sheet=sheet).report()
            self._print(report)
            if report["problem_count"]:
                raise CommandError(f"Có {report['problem_count']} lỗi; khi nhập thật sẽ không ghi dòng nào.")
            self.stdout.write(self.style.SUCCESS("Kiểm tra xong, không có lỗi (chạy thử: chưa ghi gì)."))
            return
        if actor is None:
            # Every change records who made it: a real import names the person answerable for it.
            raise CommandError("Ghi --user: tài khoản chịu trách nhiệm lần nhập (cấp ủy cơ sở trở lên).")
        try:
            require_action(actor, Action.IMPORT_ROSTER, organization)
        except PermissionDenied as refusal:
            raise CommandError(str(refusal)) from refusal
        with path.open("rb") as handle:
            roster_import = roster_services.start_roster_import(
                actor=actor, organization=organization, file=File(handle), file_name=path.name, queue=False
            )
        roster_import = roster_services.check_roster_import(roster_import_id=roster_import.pk)
        if roster_import.can_confirm:
            roster_services.confirm_roster_import(actor=actor, roster_import=roster_import, queue=False)
            roster_import = roster_services.run_roster_import(roster_import_id=roster_import.pk)
        if roster_import.report.get("file_error"):
            raise CommandError(roster_import.report["file_error"])
        self._print(roster_import.report)
        if roster_import.status != RosterImport.Status.DONE:
            raise CommandError(
                f"Có {roster_import.problem_count} lỗi; không ghi dòng nào (lần nhập số {roster_import.pk})."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập: {roster_import.new_count} đảng viên mới, {roster_import.update_count} cập nhật "
                f"(lần nhập số {roster_import.pk})."
            )
        )

    def _organization(self, value: str) -> Organization:
        found = list(Organization.objects.filter(code=value.strip()))
        if not found:
            found = list(Organization.objects.filter(name=normalize_text(value)))
        if not found:
            raise CommandError(f"Không có tổ chức mã hoặc tên «{value}».")
        if len(found) > 1:
            codes = ", ".join(o.code for o in found)
            raise CommandError(f"Có {len(found)} tổ chức tên «{value}» ({codes}): hãy ghi mã tổ chức.")
        return found[0]

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"Không có người dùng «{username}».") from None

    def _print(self, report: dict) -> None:
        self.stdout.write(
            f"Số dòng: {report['row_count']} · mới: {report['new_count']} · cập nhật: {report['update_count']} · "
            f"không đổi: {report['unchanged_count']} · lỗi: {report.get('problem_count', len(report['problems']))}"
        )
        for column in report["unknown_columns"]:
            self.stdout.write(f"Cột không nhận ra (bỏ qua): {column}")
        for problem in report["problems"]:
            self.stdout.write(f"Dòng {problem['row']}, cột {problem['column']}: {problem['message']}")
