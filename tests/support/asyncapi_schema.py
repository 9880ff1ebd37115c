"""The AsyncAPI 3.0.0 JSON schema, from the AsyncAPI initiative's own package (@asyncapi/specs on the npm
registry, pinned), fetched once with `npm pack` and cached like the Kafka jars."""
from __future__ import annotations

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGE, VERSION = "@asyncapi/specs", "6.11.1"
MEMBER = "package/schemas/3.0.0-without-$id.json"
CACHE = Path.home() / ".cache" / "kinerja" / f"asyncapi-specs-{VERSION}" / "3.0.0.json"


def asyncapi_3_schema() -> dict:
    if not CACHE.exists():
        with tempfile.TemporaryDirectory() as scratch:
            # npm checks the tarball against the registry's integrity hash.
            done = subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent", "--pack-destination", scratch],
                                  capture_output=True, text=True, timeout=300, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"npm pack {PACKAGE}@{VERSION} failed: {done.stderr.strip()[-500:]}")
            tarball = Path(scratch) / done.stdout.strip().splitlines()[-1]
            with tarfile.open(tarball) as archive:
                schema = archive.extractfile(MEMBER).read()
            CACHE.parent.mkdir(parents=True, exist_ok=True)
            partial = CACHE.with_suffix(".partial")
            partial.write_bytes(schema)
            partial.rename(CACHE)  # whole or absent: two runs at once each write their own and rename
    return json.loads(CACHE.read_text())
