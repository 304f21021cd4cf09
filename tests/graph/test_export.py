"""Every export format parses in two independent parsers (pyoxigraph and rapper)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from migkg.graph.export import export_graph

FORMATS = {
    "turtle": (pyoxigraph.RdfFormat.TURTLE, "turtle"),
    "trig": (pyoxigraph.RdfFormat.TRIG, "trig"),
    "nt": (pyoxigraph.RdfFormat.N_TRIPLES, "ntriples"),
    "nquads": (pyoxigraph.RdfFormat.N_QUADS, "nquads"),
    "xml": (pyoxigraph.RdfFormat.RDF_XML, "rdfxml"),
    "jsonld": (pyoxigraph.RdfFormat.JSON_LD, None),
}


@pytest.mark.parametrize("output", sorted(FORMATS))
def test_export_parses_independently(small_build: Path, tmp_path: Path, output: str) -> None:
    path = export_graph(small_build, output, tmp_path / f"graph.{output}")
    ox_format, rapper_syntax = FORMATS[output]
    triples = list(pyoxigraph.parse(path.read_bytes(), format=ox_format))
    assert len(triples) > 1000
    if output == "jsonld":
        document = json.loads(path.read_text(encoding="utf-8"))
        assert "@context" in document
        assert len(rdflib.Graph().parse(path, format="json-ld")) == len(triples)
        return
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper (raptor2-utils) is not installed")
    result = subprocess.run(
        [rapper, "-i", rapper_syntax, "-c", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"returned {len(triples)} triples" in result.stderr, result.stderr[-500:]
