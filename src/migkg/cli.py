"""The ``migkg`` command: parse arguments, call one library function, print the outcome.

Only this module turns exceptions into exit codes: 0 ok, 1 a "no" answer (``--fail-empty``),
2 input, query or store errors (``MigKGError``), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from migkg import __version__
from migkg.errors import InputError, MigKGError, QueryError

if TYPE_CHECKING:  # the validator pulls in pySHACL: imported only by the commands that use it
    from migkg.graph.validate import ValidationReport

__all__ = ["app", "main"]

app = typer.Typer(
    name="migkg",
    help="A knowledge graph of global migration governance, extracted with evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[Path, typer.Option("--store", help="A build output directory.")]


@contextlib.contextmanager
def _progress_bar(label: str, verb: str) -> Iterator[Callable[[str, int, int], None]]:
    """A transient progress bar on stderr; yields the callback the library reports to."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def advance(item: str, done: int, total: int) -> None:
            name = item.rsplit("/", 1)[-1]
            progress.update(task, description=f"{verb} {name}", completed=done, total=total)

        yield advance


def _params(values: list[str]) -> dict[str, str]:
    params = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"--param takes NAME=VALUE, not {item!r}")
        params[name] = value
    return params


@app.command()
def build(
    documents: Annotated[
        list[str] | None, typer.Argument(help="Files or folders (.txt .md .html .pdf).")
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("out"),
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Extraction processes (default: all cores)."),
    ] = None,
    engine: Annotated[
        # The backslash keeps rich from reading "[spark]" as markup and dropping it.
        str, typer.Option(help="Where extraction runs: local, or spark (needs migkg\\[spark]).")
    ] = "local",
    spark_master: Annotated[
        str | None,
        typer.Option(help="Spark master URL for --engine spark (default: local[*])."),
    ] = None,
    from_records: Annotated[
        Path | None,
        typer.Option(help="Build from a records.jsonl of an earlier build, extracting nothing."),
    ] = None,
    validate: Annotated[
        bool,
        typer.Option(
            "--validate/--no-validate",
            help="Validate the built graph against the SHACL shapes (exit 1 if it does not "
            "conform; the output is kept either way).",
        ),
    ] = True,
) -> None:
    """Extract documents and build the graph: store, TriG, Turtle, records and merge log."""
    from migkg.graph.builder import build as run_build
    from migkg.graph.builder import build_from_records

    if from_records is not None:
        if documents:
            raise InputError("give either documents or --from-records, not both")
        result = build_from_records(from_records, out)
    elif not documents:
        raise InputError("no documents given: migkg build FILES_OR_FOLDERS --out DIR")
    else:
        with _progress_bar("loading the language model", "extracted") as advance:
            result = run_build(
                documents,
                out,
                progress=advance,
                jobs=jobs or os.cpu_count() or 1,
                engine=engine,
                spark_master=spark_master,
            )
    for warning in result.warnings:
        errors.print(f"[yellow]warning:[/] {escape(warning)}")
    table = Table(title=f"migkg build → {out}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents", str(len(result.documents)))
    for name, count in sorted(result.entity_counts.items()):
        table.add_row(f"entities: {name}", str(count))
    for name, count in sorted(result.relation_counts.items()):
        table.add_row(f"relations: {name}", str(count))
    table.add_row("quads", str(result.triples))
    console.print(table)
    if validate:
        from migkg.graph.validate import validate_build

        with _progress_bar("validating", "validated") as advance:
            report = validate_build(out, progress=advance)
        _report_validation(out, report)


def _print_result(
    variables: list[str], rows: list[dict[str, object]], raw: list[dict[str, object]], output: str
) -> None:
    if output == "json":
        document = {"head": {"vars": variables}, "results": {"bindings": raw}}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    elif output in {"csv", "tsv"}:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if output == "csv" else "\t", lineterminator="\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if row[v] is None else row[v] for v in variables])
        sys.stdout.write(buffer.getvalue())
    else:
        table = Table(show_lines=False)
        for variable in variables:
            table.add_column(variable, overflow="fold")
        for row in rows:
            table.add_row(*("" if row[v] is None else str(row[v]) for v in variables))
        console.print(table)
        errors.print(f"{len(rows)} row(s)")


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A named query (see 'migkg queries') or a .rq file.")],
    store: Annotated[Path | None, typer.Option("--store", help="A build output directory.")] = None,
    endpoint: Annotated[str | None, typer.Option(help="A SPARQL 1.1 endpoint URL.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE.")] = None,
    output: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, tsv or json.")
    ] = "table",
    limit: Annotated[int | None, typer.Option(help="At most this many rows.")] = None,
    fail_empty: Annotated[bool, typer.Option(help="Exit 1 when there are no rows.")] = False,
) -> None:
    """Run a named SPARQL query on the local store or on a remote endpoint."""
    from migkg.graph.store import open_store
    from migkg.queries.run import load_query, run_on_endpoint, run_on_store

    if output not in {"table", "csv", "tsv", "json"}:
        raise QueryError(f"--format must be table, csv, tsv or json, not {output!r}")
    named = load_query(name)
    params = _params(param or [])
    if endpoint:
        result = run_on_endpoint(endpoint, named, params)
    else:
        result = run_on_store(open_store(store or Path("out")), named, params, limit=limit)
    _print_result(result.variables, result.rows, result.raw, output)
    if fail_empty and not result.rows:
        raise typer.Exit(1)


@app.command("queries")
def list_named_queries() -> None:
    """List the named queries with their summaries and parameters."""
    from migkg.queries.run import list_queries

    table = Table()
    table.add_column("name")
    table.add_column("parameters")
    table.add_column("summary")
    for named in list_queries():
        table.add_row(named.name, ", ".join(named.params), named.summary)
    console.print(table)


@app.command()
def export(
    store: StoreOption = Path("out"),
    output: Annotated[
        str, typer.Option("--format", "-f", help="turtle, trig, nt, nquads, jsonld or xml.")
    ] = "turtle",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write.")] = None,
) -> None:
    """Export the graph in an RDF format (written atomically)."""
    from migkg.graph.export import export_graph

    path = export_graph(store, output, out)
    errors.print(f"wrote {path}")


@app.command()
def stats(store: StoreOption = Path("out")) -> None:
    """Count instances per class and uses per property."""
    from migkg.graph.export import graph_statistics

    classes, properties = graph_statistics(store)
    for title, counts in (("class", classes), ("property", properties)):
        table = Table()
        table.add_column(title)
        table.add_column("count", justify="right")
        for iri, count in counts:
            table.add_row(iri, str(count))
        console.print(table)


@app.command()
def entities(
    name: Annotated[str, typer.Argument(help="A name, alias or acronym.")],
    store: StoreOption = Path("out"),
    explain: Annotated[bool, typer.Option("--explain", help="Show the merge log.")] = False,
) -> None:
    """Show the canonical entity for a name, its surface forms and (with --explain) merges."""
    from migkg.queries.explain import explain_entity

    found = explain_entity(store, name)
    if not found:
        errors.print(f"no entity named {name!r}")
        raise typer.Exit(1)
    for entity in found:
        console.print(f"[bold]{entity['name']}[/] <{entity['iri']}> ({entity['type']})")
        console.print("  surface forms: " + "; ".join(entity["aliases"]))
        console.print("  documents: " + ", ".join(entity["documents"]))
        if explain:
            for item in entity["merges"]:
                console.print("  merge: " + json.dumps(item, ensure_ascii=False))


@app.command("eval")
def evaluate(
    gold_dirs: Annotated[
        list[Path],
        typer.Argument(help="Folders of gold JSON files; several are scored as one pool."),
    ],
    corpus: Annotated[
        Path, typer.Option(help="Folder of the documents the gold files name.")
    ] = Path("../shared/corpus"),
    output: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Score the extractor against hand-annotated gold files (precision, recall, F1).

    With several folders the scores are micro-averaged over all their passages.
    """
    from migkg.extract.evaluate import evaluate_gold

    report = evaluate_gold(gold_dirs, corpus)
    if output == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title="migkg eval " + " ".join(str(d) for d in gold_dirs))
    for column in ("type", "tp", "fp", "fn", "precision", "recall", "f1"):
        table.add_column(column, justify="right" if column != "type" else "left")
    for name, score in report["scores"].items():
        table.add_row(
            name,
            *(str(score[k]) for k in ("tp", "fp", "fn")),
            *(f"{score[k]:.3f}" for k in ("precision", "recall", "f1")),
        )
    console.print(table)


@app.command()
def serve(
    store: StoreOption = Path("out"),
    host: Annotated[
        str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it local.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0 picks a free one).")] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run before a 503.")] = 30.0,
    max_rows: Annotated[
        int, typer.Option("--max-rows", help="At most this many rows or triples per answer.")
    ] = 10_000,
) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint with a query page, until Ctrl-C."""
    import signal

    from migkg.queries.serve import make_server

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM stops the server as cleanly as Ctrl-C

    server = make_server(store, host=host, port=port, timeout=timeout, max_rows=max_rows)
    previous = signal.signal(signal.SIGTERM, stop)
    errors.print(
        f"SPARQL endpoint: {server.endpoint}\nquery page:      {server.url}\n"
        "read-only; press Ctrl-C to stop",
        markup=False,
        highlight=False,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        errors.print("stopped", markup=False, highlight=False)
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()


@app.command()
def analyze(
    store: StoreOption = Path("out"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path(
        "out/analysis"
    ),
    document: Annotated[
        str | None, typer.Option(help="Only citations in this document (id or IRI).")
    ] = None,
    year: Annotated[
        int | None, typer.Option(help="Only citations of frameworks of this year (mig:year).")
    ] = None,
    actor_type: Annotated[
        list[str] | None,
        typer.Option("--actor-type", help="Only actors of this type or kind (repeatable)."),
    ] = None,
    framework_kind: Annotated[
        list[str] | None,
        typer.Option("--framework-kind", help="Only frameworks of this kind (repeatable)."),
    ] = None,
    top: Annotated[int, typer.Option(min=1, help="Rows per report table, bars per chart.")] = 20,
    formats: Annotated[
        str | None,
        typer.Option(
            "--formats",
            help="Comma-separated outputs among csv, graphml, gexf, png, html, trig, or all. "
            "Default: all, except graph files of networks above --graph-file-max-edges edges; "
            "naming graphml or gexf writes them whatever the size.",
        ),
    ] = None,
    graph_file_max_edges: Annotated[
        int | None,
        typer.Option(
            "--graph-file-max-edges",
            min=0,
            help="Without --formats, skip GraphML/GEXF of networks with more edges "
            "(default 250,000).",
        ),
    ] = None,
) -> None:
    """Network analytics: CSV tables, GraphML/GEXF, pictures, report.html, explorer.html and
    measures.trig (every file written atomically)."""
    from migkg.graph.store import open_store
    from migkg.queries.report import GRAPH_FILE_MAX_EDGES, parse_formats
    from migkg.queries.report import analyze as run_analysis

    chosen = parse_formats(formats)  # a bad name fails before the store is opened
    result = run_analysis(
        open_store(store),
        out,
        document=document,
        year=year,
        actor_types=actor_type,
        framework_kinds=framework_kind,
        top=top,
        formats=chosen,
        graph_file_max_edges=(
            GRAPH_FILE_MAX_EDGES if graph_file_max_edges is None else graph_file_max_edges
        ),
    )
    for name, reason in result.skipped.items():
        errors.print(f"[yellow]warning:[/] {escape(name)} network {escape(reason)}")
    for path, reason in result.skipped_files.items():
        errors.print(f"[yellow]warning:[/] {escape(path)} {escape(reason)}")
    table = Table(title=f"migkg analyze → {out}")
    for column in ("network", "nodes", "edges", "communities", "modularity", "betweenness"):
        right = column not in {"network", "betweenness"}
        table.add_column(column, justify="right" if right else "left")
    for name, measures in result.measures.items():
        summary = measures.attrs["summary"]
        table.add_row(
            name,
            str(summary["nodes"]),
            str(summary["edges"]),
            str(summary["communities"]),
            f"{summary['modularity']:.3f}",
            escape(summary["betweenness"]),
        )
    console.print(table)
    report = out / "report.html"
    opened = f"; open {report}" if "report.html" in result.files else ""
    errors.print(f"wrote {len(result.files)} files{opened}", markup=False, highlight=False)


@app.command()
def reason(
    store: StoreOption = Path("out"),
    materialize: Annotated[
        bool,
        typer.Option("--materialize", help="Also infer property values; write DIR/inferred.trig."),
    ] = False,
    timeout: Annotated[
        float, typer.Option(help="Seconds HermiT may run before it is stopped.")
    ] = 600.0,
) -> None:
    """Check the graph against the ontology with HermiT (exit 1 when it is inconsistent)."""
    from migkg.graph.reason import reason as run_reasoner

    with errors.status("HermiT is reasoning over the build", spinner="dots"):
        result = run_reasoner(store, materialize=materialize, timeout=timeout)
    table = Table(title=f"migkg reason {store}")
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("consistent", "yes")
    table.add_row("triples (ontology + build)", str(result.triples))
    table.add_row("inferred types", str(result.inferred_types))
    table.add_row("inferred triples", str(len(result.inferred)))
    table.add_row("HermiT seconds", f"{result.seconds:.1f}")
    console.print(table)
    if result.path is not None:
        errors.print(f"wrote {result.path}", markup=False, highlight=False)


def _report_validation(store: Path, report: ValidationReport) -> None:
    """Print a SHACL report; raise InconsistentGraphError (exit 1) when it does not conform."""
    from migkg.errors import InconsistentGraphError

    for check in report.graphs:
        errors.print(
            f"{check.graph}: {check.triples} triples, {check.violations} result(s), "
            f"{check.seconds:.1f} s",
            markup=False,
            highlight=False,
        )
    if report.conforms:
        console.print(f"conforms ({len(report.graphs)} graph(s), {report.seconds:.1f} s)")
        return
    table = Table(title=f"migkg validate {store}: does not conform", show_lines=True)
    table.add_column("results", justify="right")
    table.add_column("message", overflow="fold")
    table.add_column("examples (focus node, path = value)", overflow="fold")
    for message, found in report.by_message():
        examples = [
            f"{v.focus}"
            + (f", {v.path}" if v.path else "")
            + (f" = {v.value}" if v.value is not None else "")
            for v in found[:3]
        ]
        table.add_row(str(len(found)), message, "\n".join(examples))
    console.print(table)
    # An exception, not typer.Exit(1): main() turns its exit_code (1) into the exit status.
    raise InconsistentGraphError(
        f"{store}: does not conform to the SHACL shapes: {len(report.violations)} result(s) "
        f"in {report.seconds:.1f} s"
    )


@app.command()
def validate(
    store: StoreOption = Path("out"),
    document: Annotated[
        str | None,
        typer.Option(help="Only this document's graph (its id or a unique prefix, e.g. 002)."),
    ] = None,
) -> None:
    """Validate the graph against the SHACL shapes, graph by graph (exit 1 when it does not
    conform)."""
    from migkg.graph.validate import validate_build

    with _progress_bar("validating", "validated") as advance:
        report = validate_build(store, document=document, progress=advance)
    _report_validation(store, report)


@app.command()
def push(
    endpoint: Annotated[
        str,
        typer.Option(
            help="Graph Store Protocol endpoint, e.g. http://localhost:7878/store (Oxigraph)."
        ),
    ],
    store: StoreOption = Path("out"),
    update_endpoint: Annotated[
        str | None,
        typer.Option(
            "--update-endpoint",
            help="SPARQL Update endpoint, used when --endpoint has no Graph Store Protocol.",
        ),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            help="Drop migkg graphs on the server that this build no longer has "
            "(needs --update-endpoint)."
        ),
    ] = False,
) -> None:
    """Load the build into an external store, one named graph per document; pushing again
    replaces each document's graph."""
    from migkg.queries.push import push_build

    with _progress_bar("pushing", "pushed") as advance:
        result = push_build(
            store, endpoint, update_endpoint=update_endpoint, prune=prune, progress=advance
        )
    table = Table(title=f"migkg push → {endpoint}")
    for column in ("graph", "triples", "requests", "protocol", "seconds"):
        table.add_column(column, justify="left" if column in {"graph", "protocol"} else "right")
    for pushed in result.graphs:
        table.add_row(
            pushed.graph,
            str(pushed.triples),
            str(pushed.requests),
            pushed.protocol,
            f"{pushed.seconds:.2f}",
        )
    console.print(table)
    errors.print(f"{result.triples} triples in {result.seconds:.1f} s")
    if result.pruned:
        errors.print("migkg graphs this build no longer has were dropped from the server")


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if version:
        console.print(f"migkg {__version__}")
        raise typer.Exit(0)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    try:
        # With standalone_mode off, click returns the code of a typer.Exit instead of raising.
        result = app(args=argv, standalone_mode=False)
    except MigKGError as error:
        errors.print(f"migkg: error: {error}", markup=False, highlight=False)
        return error.exit_code
    except typer.Exit as stop:
        return int(stop.exit_code or 0)
    except KeyboardInterrupt:
        errors.print("migkg: interrupted; earlier output is unchanged")
        return 130
    except typer.Abort:
        return 130
    except typer.TyperException as error:  # usage errors: bad option, missing argument
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            errors.print(f"migkg: error: {error}", markup=False, highlight=False)
        return 2
    return result if isinstance(result, int) else 0
