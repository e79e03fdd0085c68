"""A new worker loads its templates, catalogs and a connection before its first request."""

from __future__ import annotations

from app.core.warmup import warm


def test_a_warmed_worker_holds_every_template_compiled(app):
    app.jinja_env.cache.clear()

    loaded = warm(app)

    assert loaded > 100
    assert len(app.jinja_env.cache) >= loaded
    assert "base.html" in {name for _loader, name in app.jinja_env.cache}


def test_compiled_templates_are_kept_on_disk_for_the_other_workers(app, tmp_path):
    from jinja2 import FileSystemBytecodeCache

    kept = app.jinja_env.bytecode_cache
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(tmp_path))
    app.jinja_env.cache.clear()
    try:
        warm(app)
    finally:
        app.jinja_env.bytecode_cache = kept
        app.jinja_env.cache.clear()

    assert len(list(tmp_path.glob("__jinja2_*.cache"))) > 100


def test_a_warmed_worker_holds_the_linked_stylesheet_compressed(app):
    from app.core import assets

    static = assets.folder(app.static_folder)
    static._assets.pop("css/site.css", None)  # as in a new worker

    warm(app)

    assert set(static.asset("css/site.css")._encoded) == {"br", "gzip"}
