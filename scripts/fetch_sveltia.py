"""Fetch the pinned Sveltia CMS release for the editor's browser test, verified, into .cache/sveltia/.

    python scripts/fetch_sveltia.py       # download, verify and unpack (nothing to do when already there)

`themehub cms` writes an `/admin/` page that loads Sveltia CMS from unpkg. The browser test
(`tests/browser/test_cms_editor.py`) serves that script from a local copy instead, so the test never
reaches the internet: this script downloads the npm tarball of the same version, checks it against the
registry's sha512 integrity, and unpacks its `dist/` (the editor) and `schema/` (the JSON Schema of
`config.yml`) into `.cache/sveltia/<VERSION>/`. `make test` runs it before pytest.

VERSION and INTEGRITY below are the one place the pinned release is named here; a test compares
VERSION with `themehub.cms.SVELTIA_VERSION` so the two never drift apart.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import sys
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

VERSION = "0.221.1"
INTEGRITY = "sha512-J+Qoik9kGMk2L7vNpOQrnDmFRi+NB6vwJ0f657YtsxWH0P8WYSYRRSRC2pQ/jGGbVlM//Pg/WIgmkpswqoo3gQ=="
TARBALL = f"https://registry.npmjs.org/@sveltia/cms/-/cms-{VERSION}.tgz"

REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / ".cache" / "sveltia" / VERSION
PARTS = ("dist", "schema")
STAMP = ".integrity"  # holds INTEGRITY once the unpacked folder is complete
TIMEOUT = 60


def script_path(cache: Path = CACHE) -> Path:
    """The editor's script, as unpkg serves it at /@sveltia/cms@VERSION/dist/sveltia-cms.js."""
    return cache / "dist" / "sveltia-cms.js"


def schema_path(cache: Path = CACHE) -> Path:
    """The editor's JSON Schema of config.yml."""
    return cache / "schema" / "sveltia-cms.json"


def present(cache: Path = CACHE) -> bool:
    """Whether `cache` holds a complete, verified unpacking of this VERSION and INTEGRITY."""
    stamp = cache / STAMP
    return (stamp.is_file() and stamp.read_text().strip() == INTEGRITY
            and script_path(cache).is_file() and schema_path(cache).is_file())


def verify(data: bytes, integrity: str = INTEGRITY) -> None:
    """Raise ValueError unless `data` matches the npm integrity string (`sha512-<base64>`)."""
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise ValueError(f"integrity mismatch: expected {integrity}, got {algorithm}-{actual}")


def download(url: str = TARBALL, timeout: float = TIMEOUT) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        data: bytes = response.read()
    return data


def unpack(data: bytes, cache: Path = CACHE) -> None:
    """Unpack package/dist/ and package/schema/ of the tarball into `cache`, whole or not at all."""
    staging = cache.with_name(cache.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if len(parts) < 3 or parts[0] != "package" or parts[1] not in PARTS or not member.isfile():
                continue
            if ".." in parts:
                raise ValueError(f"unsafe path in the tarball: {member.name}")
            target = staging.joinpath(*parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())
    if not script_path(staging).is_file() or not schema_path(staging).is_file():
        shutil.rmtree(staging)
        raise ValueError("the tarball holds no dist/sveltia-cms.js or schema/sveltia-cms.json")
    (staging / STAMP).write_text(INTEGRITY + "\n")
    shutil.rmtree(cache, ignore_errors=True)
    staging.rename(cache)


def main() -> int:
    if present():
        return 0
    try:
        data = download()
    except urllib.error.HTTPError as exc:
        print(f"fetch_sveltia: cannot download {TARBALL}: HTTP {exc.code} {exc.reason}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as exc:  # no network, DNS, refused, timed out
        reason = getattr(exc, "reason", exc)
        print(f"fetch_sveltia: cannot download {TARBALL}: {reason}", file=sys.stderr)
        return 1
    try:
        verify(data)
        unpack(data)
    except (ValueError, tarfile.TarError) as exc:
        print(f"fetch_sveltia: {TARBALL}: {exc}", file=sys.stderr)
        return 1
    print(f"fetch_sveltia: Sveltia CMS {VERSION} in {CACHE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
