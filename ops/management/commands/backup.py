from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backups import create_backup, prune_backups
from partyorg.lib.errors import DomainError


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (PostgreSQL: pg_dump -Fc; SQLite: bản sao nhất quán) và MEDIA_ROOT vào một thư mục "
        "mới trong BACKUP_DIR, rồi xóa các bản cũ hơn BACKUP_KEEP_DAYS ngày (luôn giữ bản mới nhất)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help=f"thư mục chứa bản sao lưu (mặc định {settings.BACKUP_DIR})")
        parser.add_argument("--keep-days", type=int, help=f"số ngày giữ lại (mặc định {settings.BACKUP_KEEP_DAYS})")
        parser.add_argument("--no-prune", action="store_true", help="không xóa bản cũ")

    def handle(self, *args, dir=None, keep_days=None, no_prune=False, **options):
        try:
            backup = create_backup(folder=dir)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu: {backup}"))
        if not no_prune:
            for old in prune_backups(folder=dir, keep_days=keep_days):
                self.stdout.write(f"Đã xóa bản cũ: {old}")
