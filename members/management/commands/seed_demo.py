from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from members.demo import DEMO_PASSWORD, seed
from organizations.models import Organization, Role
from partyorg.lib.dates import today


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (tỉnh → phường → cơ sở → chi bộ, đảng viên, tài khoản mỗi vai trò)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2000, help="Số đảng viên (mặc định 2000).")
        parser.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên, để tái lập dữ liệu.")

    def handle(self, *args, **options):
        members, seed_value = options["members"], options["seed"]
        if Organization.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu; bỏ qua bước tạo dữ liệu mẫu.")
        else:
            seed(members=members, seed=seed_value, today=today())
            # Later apps (admissions, …) add their own demo data through settings.DEMO_SEEDERS.
            for path in getattr(settings, "DEMO_SEEDERS", []):
                import_string(path)(seed=seed_value, today=today())
            self.stdout.write(self.style.SUCCESS(f"Đã tạo dữ liệu mẫu với {members} đảng viên."))
        self.print_accounts()

    def print_accounts(self):
        self.stdout.write("\nTài khoản đăng nhập (mật khẩu: %s):" % DEMO_PASSWORD)
        from accounts.models import User

        for user in User.objects.filter(
            username__in=["quantri", "tinh.btc", "phuong.xg", "dangbo.coso", "bithu.kp1", "bithu.kp2", "bithu.coso"]
        ).order_by("id"):
            roles = "; ".join(
                f"{r.get_kind_display()} – {r.organization.qualified_name}"
                for r in Role.objects.filter(user=user).select_related("organization")
            )
            self.stdout.write(f"  {user.username:<12} {roles or 'Quản trị hệ thống'}")
