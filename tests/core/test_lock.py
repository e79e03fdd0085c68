"""Installs are reproducible: the environment the tests run in holds exactly the versions
of the lock files (requirements-dev.txt, made by `make lock`)."""

from __future__ import annotations

import re
from importlib import metadata

from packaging.utils import canonicalize_name

from tests.support.paths import ROOT

_PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)")


def _locked(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        match = _PIN.match(line)
        if match:
            pins[canonicalize_name(match.group(1).split("[")[0])] = match.group(2)
    return pins


def test_every_locked_package_is_installed_at_its_locked_version():
    locked = _locked("requirements-dev.txt")
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }
    assert len(locked) > 50
    wrong = {name: (version, installed.get(name)) for name, version in locked.items()
             if installed.get(name) != version}  # fmt: skip
    assert wrong == {}


def test_nothing_is_installed_that_no_lock_file_names():
    known = {**_locked("requirements-dev.txt"), **_locked("requirements-load.txt")}
    tools = {"pip", "setuptools", "wheel", "uv", canonicalize_name("etwinning-school-network")}
    installed = {canonicalize_name(dist.metadata["Name"]) for dist in metadata.distributions()}
    assert installed - set(known) - tools == set()


def test_the_runtime_lock_agrees_with_the_development_lock():
    runtime, development = _locked("requirements.txt"), _locked("requirements-dev.txt")
    assert {name: development.get(name) for name in runtime} == runtime
