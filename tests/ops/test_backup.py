"""Backups restore into an empty database with every row, and the media files; old backups are pruned.

Runs on whatever database the suite runs on: SQLite in CI's first pass, PostgreSQL (pg_dump/pg_restore) in the
second. The round trip needs committed rows (pg_dump reads from its own connection): transactional tests.
"""

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from members.models import Member
from ops.backups import create_backup, list_backups, prune_backups, read_manifest
from partyorg.lib.errors import DomainError


def _postgres_parameters(settings_dict: dict, name: str) -> dict:
    parameters = {
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
        "dbname": name,
    }
    return {key: value for key, value in parameters.items() if value}


@pytest.fixture
def empty_database(tmp_path):
    """A fresh database beside the test database, with nothing in it: (database URL, row counter)."""
    source = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def count_rows(table):
            with closing(sqlite3.connect(path)) as restored:
                return restored.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

        yield f"sqlite:///{path}", count_rows
        return

    name = f"{source['NAME']}_restore"
    with psycopg.connect(**_postgres_parameters(source, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    restored = psycopg.connect(**_postgres_parameters(source, name), autocommit=True)

    def count_rows(table):
        return restored.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

    auth = f"{source['USER']}:{source.get('PASSWORD') or ''}@" if source.get("USER") else ""
    yield f"postgres://{auth}{source.get('HOST') or 'localhost'}:{source.get('PORT') or 5432}/{name}", count_rows
    restored.close()
    with psycopg.connect(**_postgres_parameters(source, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_every_member_and_history_row(
    members, settings, tmp_path, empty_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "rosters").mkdir(parents=True)
    (settings.MEDIA_ROOT / "rosters" / "danh-sach.xlsx").write_bytes(b"roster bytes")
    members.an.full_name = "Nguyễn Văn An (sửa)"
    members.an.save()  # one more history row
    expected = _row_counts()
    assert expected[Member._meta.db_table] == 5
    assert expected[Member.history.model._meta.db_table] >= 6

    call_command("backup", "--dir", str(tmp_path / "backups"))
    (backup,) = list_backups(tmp_path / "backups")
    database_url, count_rows = empty_database
    restored_media = tmp_path / "restored-media"
    call_command("restore", str(backup), "--database-url", database_url, "--media-root", str(restored_media))

    assert {table: count_rows(table) for table in expected} == expected
    assert (restored_media / "rosters" / "danh-sach.xlsx").read_bytes() == b"roster bytes"


@pytest.mark.django_db(transaction=True)
def test_a_restore_never_overwrites_a_database_in_use_unless_told(members, settings, tmp_path, empty_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup = create_backup(folder=tmp_path / "backups")
    database_url, count_rows = empty_database
    call_command("restore", str(backup), "--database-url", database_url, "--no-media")
    with pytest.raises(CommandError, match="đã có bảng"):
        call_command("restore", str(backup), "--database-url", database_url, "--no-media")
    call_command("restore", str(backup), "--database-url", database_url, "--no-media", "--replace")
    assert count_rows(Member._meta.db_table) == 5


@pytest.mark.django_db(transaction=True)
def test_a_changed_backup_file_is_refused(members, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup = create_backup(folder=tmp_path / "backups")
    manifest = read_manifest(backup)
    with (backup / manifest["database"]["file"]).open("ab") as dump:
        dump.write(b"tampered")
    with pytest.raises(DomainError, match="SHA-256"):
        read_manifest(backup)


def test_old_backups_are_pruned_but_the_newest_and_foreign_folders_stay(tmp_path, settings):
    settings.BACKUP_KEEP_DAYS = 14
    now = timezone.make_aware(dt.datetime(2026, 12, 1, 3, 0))
    for days_ago in (40, 15, 13, 1):
        (tmp_path / (now - dt.timedelta(days=days_ago)).strftime("partyorg-%Y%m%d-%H%M%S")).mkdir()
    (tmp_path / "ghi-chu").mkdir()
    removed = prune_backups(folder=tmp_path, now=now)
    assert sorted(path.name for path in removed) == ["partyorg-20261022-030000", "partyorg-20261116-030000"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "ghi-chu",
        "partyorg-20261118-030000",
        "partyorg-20261130-030000",
    ]


def test_the_newest_backup_is_kept_however_old(tmp_path):
    (tmp_path / "partyorg-20200101-000000").mkdir()
    assert prune_backups(folder=tmp_path, keep_days=1) == []
    assert Path(tmp_path / "partyorg-20200101-000000").is_dir()


@pytest.mark.django_db(transaction=True)
def test_the_nightly_task_backs_up_and_prunes(members, settings, tmp_path):
    from ops.tasks import nightly_backup

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    (settings.BACKUP_DIR / "partyorg-20200101-000000").mkdir(parents=True)
    made = Path(nightly_backup.delay().get())
    assert list_backups(settings.BACKUP_DIR) == [made]
    assert read_manifest(made)["database"]["vendor"] == connection.vendor
