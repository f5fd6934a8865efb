from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError

from ops.backups import restore_backup
from partyorg.lib.errors import DomainError


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (thư mục partyorg-YYYYMMDD-HHMMSS do lệnh backup tạo) vào cơ sở dữ liệu và "
        "MEDIA_ROOT. Mặc định chỉ khôi phục vào cơ sở dữ liệu chưa có bảng và thư mục tệp rỗng; dừng web, worker "
        "và beat trước khi khôi phục đè bằng --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="thư mục bản sao lưu")
        parser.add_argument("--database-url", help="khôi phục vào cơ sở dữ liệu này (mặc định: DATABASE_URL)")
        parser.add_argument("--media-root", type=Path, help="khôi phục tệp vào thư mục này (mặc định: MEDIA_ROOT)")
        parser.add_argument("--no-media", action="store_true", help="chỉ khôi phục cơ sở dữ liệu")
        parser.add_argument(
            "--replace", action="store_true", help="ghi đè cơ sở dữ liệu và thư mục tệp hiện có (mất dữ liệu hiện có)"
        )

    def handle(self, *args, backup, database_url=None, media_root=None, no_media=False, replace=False, **options):
        database_settings = dj_database_url.parse(database_url) if database_url else None
        try:
            manifest = restore_backup(
                backup,
                database_settings=database_settings,
                media_root=media_root,
                replace=replace,
                with_media=not no_media,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục bản sao lưu lúc {manifest['created_at']} từ {backup}."))
