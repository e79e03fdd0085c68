"""``flask backup`` and ``flask restore``: a copy that proves itself, on SQLite and PostgreSQL.

Each test has a database of its own (a SQLite file, or a PostgreSQL schema), since
backups and restores commit for real.
"""

from __future__ import annotations

import json
import threading

import pytest
import sqlalchemy as sa

from app.backup import BackupError, postgres
from app.backup.manifest import Manifest, manifest_path
from app.core.extensions import db
from app.core.models import AuditEntry
from app.schools.models import School
from tests import factories
from tests.support.databases import own_app


@pytest.fixture
def source_app(database_url, tmp_path):
    with own_app(database_url, tmp_path, "backup_check") as app:
        with app.app_context():
            make = factories.Factories(db.session)
            school = make.school("TR", name="Atatürk Anadolu Lisesi", city="İstanbul")
            make.activity(school, title="Açık gün — ﬁrst 🎉 \u202e")
            make.member(school, email="member@example.org")
            db.session.remove()
        yield app


def _invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _count(app, model) -> int:
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(model))
        db.session.remove()
        return count


def test_a_backup_writes_a_manifest_of_every_table(source_app, tmp_path):
    path = tmp_path / "site.backup"
    result = _invoke(source_app, "backup", str(path))
    assert result.exit_code == 0, result.output + result.stderr
    manifest = Manifest.read(path)
    assert manifest.tables["school"].rows == 1
    assert manifest.tables["activity"].rows == 1
    assert manifest.tables["pillar"].rows == 5
    assert "0 mismatches" in result.output
    document = json.loads(manifest_path(path).read_text())
    assert set(document) >= {"tables", "alembic_revision", "dialect", "created_at"}


def test_restore_refuses_a_database_with_data_unless_forced(source_app, tmp_path):
    path = tmp_path / "site.backup"
    assert _invoke(source_app, "backup", str(path)).exit_code == 0
    with source_app.app_context():
        factories.Factories(db.session).school("TR", name="Added after the backup")
        db.session.remove()

    refused = _invoke(source_app, "restore", str(path))
    assert refused.exit_code != 0
    assert "--force" in refused.stderr
    assert _count(source_app, School) == 2

    restored = _invoke(source_app, "restore", "--force", str(path))
    assert restored.exit_code == 0, restored.output + restored.stderr
    assert "0 mismatches" in restored.output
    assert _count(source_app, School) == 1
    with source_app.app_context():
        assert db.session.scalar(sa.select(School.name)) == "Atatürk Anadolu Lisesi"
        db.session.remove()


def test_a_backup_does_not_overwrite_a_file_unless_forced(source_app, tmp_path):
    path = tmp_path / "site.backup"
    path.write_text("precious")
    result = _invoke(source_app, "backup", str(path))
    assert result.exit_code != 0
    assert path.read_text() == "precious"
    assert _invoke(source_app, "backup", "--force", str(path)).exit_code == 0


def test_restore_refuses_a_backup_that_differs_from_its_manifest(source_app, tmp_path):
    path = tmp_path / "site.backup"
    assert _invoke(source_app, "backup", str(path)).exit_code == 0
    document = json.loads(manifest_path(path).read_text())
    document["tables"]["school"]["rows"] = 7
    manifest_path(path).write_text(json.dumps(document))
    result = _invoke(source_app, "restore", "--force", str(path))
    assert result.exit_code != 0
    assert "MISMATCH" in result.output


def test_restore_without_a_manifest_is_refused(source_app, tmp_path):
    path = tmp_path / "site.backup"
    assert _invoke(source_app, "backup", str(path)).exit_code == 0
    manifest_path(path).unlink()
    result = _invoke(source_app, "restore", "--force", str(path))
    assert result.exit_code != 0
    assert "manifest" in result.stderr


def test_a_missing_pg_dump_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump was not found on PATH"):
        postgres.tool("pg_dump")


def test_libpq_arguments_keep_the_password_out_of_the_command_line():
    url = sa.make_url("postgresql+psycopg://ops:s3cret@db.example:6543/network?options=-c%20x")
    uri, environment = postgres.libpq(url)
    assert uri == "postgresql://ops@db.example:6543/network?options=-c%20x"
    assert "s3cret" not in uri
    assert environment["PGPASSWORD"] == "s3cret"


def test_a_sqlite_backup_taken_while_writes_go_on_matches_its_manifest(tmp_path):
    """Another thread keeps inserting during the backup; the copy is one consistent snapshot."""
    with own_app("", tmp_path, "busy") as app:
        with app.app_context():
            db.session.execute(
                sa.insert(AuditEntry),
                [{"action": "seed", "details": {"n": n, "text": "x" * 200}} for n in range(30000)],
            )
            db.session.commit()
            db.session.remove()
        writes = {"before": 0, "during": 0, "after": 0}
        phase = {"now": "before"}
        stop = threading.Event()
        started = threading.Event()

        def keep_writing():
            with app.app_context():
                while not stop.is_set():
                    db.session.add(AuditEntry(action="write", details={}))
                    db.session.commit()
                    writes[phase["now"]] += 1
                    started.set()
                db.session.remove()

        writer = threading.Thread(target=keep_writing)
        writer.start()
        started.wait(10)
        phase["now"] = "during"
        path = tmp_path / "busy.backup"
        result = _invoke(app, "backup", str(path))
        phase["now"] = "after"
        while writes["after"] < 5 and writer.is_alive():
            started.clear()
            started.wait(1)
        stop.set()
        writer.join(30)
        assert result.exit_code == 0, result.output + result.stderr
        assert writes["during"] > 0, "the writer should have committed while the backup ran"

        live = _count(app, AuditEntry)
        with own_app("", tmp_path, "copy") as copy:
            restored = _invoke(copy, "restore", "--force", str(path))
            assert restored.exit_code == 0, restored.output + restored.stderr
            assert "0 mismatches" in restored.output
            audit_rows = Manifest.read(path).tables["audit_entry"].rows
            assert _count(copy, AuditEntry) == audit_rows
            assert 30000 < audit_rows < live


def test_a_backup_restores_into_an_empty_database_without_force(source_app, tmp_path):
    path = tmp_path / "site.backup"
    assert _invoke(source_app, "backup", str(path)).exit_code == 0
    with source_app.app_context():
        db.drop_all()
        db.session.remove()
    restored = _invoke(source_app, "restore", str(path))
    assert restored.exit_code == 0, restored.output + restored.stderr
    assert "0 mismatches" in restored.output
    assert _count(source_app, School) == 1
