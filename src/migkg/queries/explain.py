"""``migkg entities NAME --explain``: the canonical entity behind a name, and why it is one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph

from migkg.graph.store import open_store
from migkg.queries.run import load_query, run_on_store

__all__ = ["explain_entity"]

_ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
_MENTIONS = "https://w3id.org/migkg/ontology#mentions"


def explain_entity(store_dir: Path, name: str) -> list[dict[str, Any]]:
    """Entities whose name, alias or acronym is ``name``, with surface forms and merges."""
    store = open_store(store_dir)
    rows = run_on_store(store, load_query("find_entity"), {"name": name}).rows
    merges: dict[str, list[dict[str, Any]]] = {}
    log = store_dir / "merge_log.jsonl"
    if log.is_file():
        for line in log.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            merges.setdefault(str(item["canonical"]), []).append(item)
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        iri = str(row["entity"])
        entry = found.setdefault(iri, {"iri": iri, "name": row["entity_name"], "types": []})
        entry["types"].append(str(row["type"]).rsplit("#", 1)[1])
    for iri, entry in found.items():
        entry["type"] = ", ".join(entry.pop("types"))
        subject = pyoxigraph.NamedNode(iri)
        aliases: set[str] = set()
        for quad in store.quads_for_pattern(subject, pyoxigraph.NamedNode(_ALT_LABEL), None, None):
            if isinstance(quad.object, pyoxigraph.Literal):
                aliases.add(quad.object.value)
        documents: set[str] = set()
        for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(_MENTIONS), subject, None):
            if isinstance(quad.subject, pyoxigraph.NamedNode):
                documents.add(quad.subject.value.rsplit("/", 1)[1])
        entry["aliases"] = sorted(aliases)
        entry["documents"] = sorted(documents)
        entry["merges"] = merges.get(iri.split("/id/", 1)[1], [])
    return list(found.values())
