#!/usr/bin/env python3
"""Refresh the front-end files DXBoard serves itself (no CDN: intranets have no internet).

Reads `dxboard/static/vendor/manifest.json`, fetches each pinned package from the npm
registry with `npm pack`, copies the listed files and the package's licence under
`dxboard/static/vendor/<name>/`, and writes `SHA256SUMS`. Run it after changing a version:

    python scripts/vendor.py            # refresh every package
    python scripts/vendor.py --check    # verify the committed files against SHA256SUMS
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "dxboard" / "static" / "vendor"
LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "OFL.txt")
# `//# sourceMappingURL=x.map` (JS) and `/*# sourceMappingURL=x.map */` (CSS). The maps are
# not shipped, and a reference to a missing file makes the production `collectstatic`
# (ManifestStaticFilesStorage) fail, so the comment is removed on copy.
SOURCE_MAP_COMMENT = re.compile(
    rb"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^\n]*?\*/)\s*\Z"
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def strip_source_map(path: Path) -> None:
    """Drop the trailing source-map comment of a copied .js/.css file, if any."""
    if path.suffix not in {".js", ".css"}:
        return
    data = path.read_bytes()
    stripped = SOURCE_MAP_COMMENT.sub(b"\n", data)
    if stripped != data:
        path.write_bytes(stripped)


def fetch(package: str, version: str, workdir: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
    )
    tarball = next(workdir.glob("*.tgz"))
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package"


def refresh(manifest: dict) -> None:
    for name, entry in manifest["packages"].items():
        target = VENDOR / name
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        with tempfile.TemporaryDirectory() as tmp:
            source = fetch(entry["npm"], entry["version"], Path(tmp))
            for spec in entry["files"]:
                # "dist/x.css" copies to <name>/x.css; "font/fonts/*.woff2 -> fonts" to a subfolder
                pattern, _, subfolder = (part.strip() for part in spec.partition("->"))
                matches = sorted(source.glob(pattern))
                if not matches:
                    sys.exit(f"{entry['npm']}@{entry['version']}: no file matches {pattern}")
                (target / subfolder).mkdir(parents=True, exist_ok=True)
                for match in matches:
                    shutil.copy2(match, target / subfolder / match.name)
                    strip_source_map(target / subfolder / match.name)
            licence = next((source / n for n in LICENCE_NAMES if (source / n).exists()), None)
            if licence is None:
                sys.exit(f"{entry['npm']}: no licence file found")
            shutil.copy2(licence, target / "LICENSE")
        print(f"{name}: {entry['npm']}@{entry['version']}")
    write_sums()


def all_files() -> list[Path]:
    skip = {"SHA256SUMS", "manifest.json"}
    return sorted(p for p in VENDOR.rglob("*") if p.is_file() and p.name not in skip)


def write_sums() -> None:
    lines = [f"{sha256(p)}  {p.relative_to(VENDOR)}" for p in all_files()]
    (VENDOR / "SHA256SUMS").write_text("\n".join(lines) + "\n")


def check() -> int:
    expected = {}
    for line in (VENDOR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        expected[name] = digest
    actual = {str(p.relative_to(VENDOR)): sha256(p) for p in all_files()}
    if expected != actual:
        changed = sorted(set(expected.items()) ^ set(actual.items()))
        print("vendored files differ from SHA256SUMS:", *changed, sep="\n  ")
        return 1
    mapped = [
        str(p.relative_to(VENDOR)) for p in all_files() if b"sourceMappingURL=" in p.read_bytes()
    ]
    if mapped:
        print("vendored files still reference a source map:", *mapped, sep="\n  ")
        return 1
    print(f"{len(actual)} vendored files match SHA256SUMS")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify, do not download")
    args = parser.parse_args()
    if args.check:
        return check()
    refresh(json.loads((VENDOR / "manifest.json").read_text()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
