"""Backups of the database and of MEDIA_ROOT, their retention, and their restore.

One backup is one folder BACKUP_DIR/partyorg-YYYYMMDD-HHMMSS/ (local time) holding
- database.dump: PostgreSQL, `pg_dump --format=custom` (restored with pg_restore), or
  database.sqlite3: SQLite, a consistent copy through sqlite3's online backup API;
- media.tar.gz: everything under MEDIA_ROOT (imported rosters, generated PDFs);
- manifest.json: when, which database vendor, each file's size and SHA-256 (checked before a restore).
The folder is written under a hidden name and renamed when complete: a folder with the public name is whole.

Connection secrets go to pg_dump/pg_restore through the environment (PGPASSWORD), never on the command line.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from partyorg.lib.errors import DomainError

NAME_FORMAT = "partyorg-%Y%m%d-%H%M%S"
NAME_PATTERN = re.compile(r"^partyorg-\d{8}-\d{6}$")
MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def _vendor(database_settings: dict) -> str:
    engine = database_settings["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise DomainError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {engine}.")


def _postgres_environment(database_settings: dict) -> dict:
    environment = dict(os.environ)
    values = {
        "PGHOST": database_settings.get("HOST"),
        "PGPORT": database_settings.get("PORT"),
        "PGUSER": database_settings.get("USER"),
        "PGPASSWORD": database_settings.get("PASSWORD"),
        "PGDATABASE": database_settings.get("NAME"),
        "PGSSLMODE": (database_settings.get("OPTIONS") or {}).get("sslmode"),
    }
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def _run(program: str, arguments: list[str], database_settings: dict) -> None:
    if shutil.which(program) is None:
        raise DomainError(
            f"Không tìm thấy {program}: cài gói postgresql-client cùng phiên bản chính với máy chủ PostgreSQL."
        )
    result = subprocess.run(
        [program, *arguments], env=_postgres_environment(database_settings), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise DomainError(f"{program} thất bại: {result.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe(path: Path) -> dict:
    return {"file": path.name, "size": path.stat().st_size, "sha256": _sha256(path)}


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def list_backups(folder: Path | None = None) -> list[Path]:
    """Complete backups, oldest first (folders named as this module names them; nothing else is touched)."""
    folder = Path(folder or backup_dir())
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_dir() and NAME_PATTERN.match(path.name))


def _dump_database(alias: str, target_folder: Path) -> dict:
    database_settings = connections[alias].settings_dict
    vendor = _vendor(database_settings)
    path = target_folder / DATABASE_FILES[vendor]
    if vendor == "postgresql":
        _run("pg_dump", ["--format=custom", "--no-password", f"--file={path}"], database_settings)
    else:
        # Through Django's own connection: it also reaches an in-memory database, and the backup API copies a
        # consistent state while other connections keep writing.
        connection = connections[alias]
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
    return {"vendor": vendor, **_describe(path)}


def _archive_media(media_root: Path, target_folder: Path) -> dict:
    path = target_folder / MEDIA_ARCHIVE
    with tarfile.open(path, "w:gz") as archive:
        if media_root.is_dir():
            for child in sorted(media_root.iterdir()):
                archive.add(child, arcname=child.name)
    return _describe(path)


def create_backup(*, folder: Path | None = None, alias: str = "default", now: datetime | None = None) -> Path:
    """Write one complete backup into `folder` (BACKUP_DIR) and return its path."""
    folder = Path(folder or backup_dir())
    folder.mkdir(parents=True, exist_ok=True)
    created_at = timezone.localtime(now or timezone.now())
    final = folder / created_at.strftime(NAME_FORMAT)
    if final.exists():
        raise DomainError(f"Đã có bản sao lưu {final.name}; đợi một giây rồi chạy lại.")
    partial = folder / f".{final.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        manifest = {
            "format": 1,
            "created_at": created_at.isoformat(),
            "database": _dump_database(alias, partial),
            "media": _archive_media(Path(settings.MEDIA_ROOT), partial),
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def prune_backups(
    *, folder: Path | None = None, keep_days: int | None = None, now: datetime | None = None
) -> list[Path]:
    """Delete backups older than `keep_days` (BACKUP_KEEP_DAYS); the newest one is always kept."""
    keep_days = settings.BACKUP_KEEP_DAYS if keep_days is None else keep_days
    cutoff = timezone.localtime(now or timezone.now()) - timedelta(days=keep_days)
    backups = list_backups(folder)
    removed = []
    for path in backups[:-1]:
        made = timezone.make_aware(datetime.strptime(path.name, NAME_FORMAT), timezone.get_current_timezone())
        if made < cutoff:
            shutil.rmtree(path)
            removed.append(path)
    return removed


def read_manifest(backup: Path) -> dict:
    """The manifest, after checking every file it lists against its size and SHA-256."""
    backup = Path(backup)
    try:
        manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DomainError(f"{backup} không phải một bản sao lưu đầy đủ (thiếu hoặc hỏng {MANIFEST}).") from error
    for part in ("database", "media"):
        path = backup / manifest[part]["file"]
        if not path.is_file() or _describe(path) != {k: manifest[part][k] for k in ("file", "size", "sha256")}:
            raise DomainError(f"Tệp {path.name} của bản sao lưu bị thiếu hoặc đã thay đổi (sai mã SHA-256).")
    return manifest


def _postgres_is_empty(database_settings: dict) -> bool:
    import psycopg

    environment = _postgres_environment(database_settings)
    keys = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password", "PGDATABASE": "dbname"}
    parameters = {name: environment[key] for key, name in keys.items() if key in environment}
    with psycopg.connect(**parameters) as connection:
        count = connection.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()[0]
    return count == 0


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with closing(sqlite3.connect(path)) as connection:
        count = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    return count == 0


def restore_database(backup: Path, manifest: dict, database_settings: dict, *, replace: bool) -> None:
    vendor = _vendor(database_settings)
    if manifest["database"]["vendor"] != vendor:
        raise DomainError(f"Bản sao lưu là của {manifest['database']['vendor']}, không khôi phục vào {vendor} được.")
    dump = Path(backup) / manifest["database"]["file"]
    if vendor == "postgresql":
        if not replace and not _postgres_is_empty(database_settings):
            raise DomainError("Cơ sở dữ liệu đích đã có bảng: dùng --replace để ghi đè (mọi dữ liệu hiện có sẽ mất).")
        # One transaction: a failed restore leaves the database as it was.
        options = ["--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges", "--no-password"]
        if replace:
            options += ["--clean", "--if-exists"]
        _run("pg_restore", [*options, f"--dbname={database_settings['NAME']}", str(dump)], database_settings)
    else:
        target = Path(database_settings["NAME"])
        if not replace and not _sqlite_is_empty(target):
            raise DomainError("Cơ sở dữ liệu đích đã có bảng: dùng --replace để ghi đè (mọi dữ liệu hiện có sẽ mất).")
        target.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(dump)) as source, closing(sqlite3.connect(target)) as destination:
            source.backup(destination)


def restore_media(backup: Path, manifest: dict, media_root: Path, *, replace: bool) -> None:
    media_root = Path(media_root)
    if media_root.is_dir() and any(media_root.iterdir()):
        if not replace:
            raise DomainError(f"Thư mục {media_root} đã có tệp: dùng --replace để thay toàn bộ nội dung.")
        for child in media_root.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(Path(backup) / manifest["media"]["file"], "r:gz") as archive:
        archive.extractall(media_root, filter="data")  # no absolute paths, no escaping the folder, no devices


def restore_backup(
    backup: Path,
    *,
    database_settings: dict | None = None,
    media_root: Path | None = None,
    replace: bool = False,
    with_media: bool = True,
) -> dict:
    """Restore `backup` into the given database (default: DATABASES['default']) and MEDIA_ROOT.

    Without `replace` the database must have no tables and the media folder no files, so that a restore never
    overwrites live data by accident."""
    manifest = read_manifest(backup)
    restore_database(backup, manifest, database_settings or settings.DATABASES["default"], replace=replace)
    if with_media:
        restore_media(backup, manifest, Path(media_root or settings.MEDIA_ROOT), replace=replace)
    return manifest
