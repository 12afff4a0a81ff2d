"""The ``zsextract`` command line: extract, eval, schema."""

from __future__ import annotations

import functools
import inspect
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import (
    Annotated,
    Any,
    Literal,
    NoReturn,
    TypeVar,
    cast,
    get_args,
    get_origin,
    get_type_hints,
)

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperArgument, TyperCommand

from .api import extract
from .backends import Backend, build_backend, default_backend
from .errors import DocumentError, ZsExtractError
from .evaluation.scoring import PARTS as SCORED_PARTS
from .evaluation.scoring import EvalResult, score
from .options import BatchOptions, LLMSettings, cli_fields
from .report.gold import GoldDoc
from .report.gold_files import load_gold_dir
from .report.json_schema import json_schemas, render_schema, write_schemas
from .report.parts import PARTS
from .report.schema import PromotionReport
from .text.reading import read_article
from .version import __version__

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="zsextract",
    help="Evidence-backed structured data from Chinese investment-promotion reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class _Argument(TyperArgument):
    """An argument shown by its name (PATHS..., SOURCE), not by a Python type."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def _dots(self) -> str:
        return "..." if self.nargs != 1 else ""

    def _rich_display_name(self) -> str:
        return self.display_name_raw + self._dots()

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        return (name if self.required else f"[{name}]") + self._dots()


#: value types in words a person reads
_TYPE_WORDS: dict[Any, str] = {int: "N", float: "NUMBER"}


def _people_metavar(param: Any) -> str:
    """What a value of ``param`` is, in words a person reads: TEXT, N, NUMBER, PATH,
    the choices; nothing for an on/off flag."""
    if getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False):
        return ""
    desc = param.type_descriptor
    if desc.is_choice:
        return "|".join(str(c.value if isinstance(c, Enum) else c) for c in desc.choices or ())
    if desc.is_path:
        return "PATH"
    return _TYPE_WORDS.get(desc.annotation, "TEXT")


class _PeopleCommand(TyperCommand):
    """A command whose help speaks to people: values named TEXT, N, NUMBER, PATH or by
    their choices, arguments by their names, never a Python type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperArgument):
                if param.metavar is None:
                    param.metavar = (param.name or "value").upper()
                param.__class__ = _Argument
            elif param.metavar is None:
                param.metavar = _people_metavar(param)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""  # a flag: no value to name
        return option


class OutputFormat(str, Enum):
    json = "json"
    gold = "gold"
    table = "table"


def _flag_type(kind: type, name: str) -> tuple[Any, dict[str, Any]]:
    """The CLI type of a settings field, and extra typer.Option arguments."""
    hint = get_type_hints(kind)[name]
    args = [a for a in get_args(hint) if a is not type(None)] if get_args(hint) else [hint]
    base = args[0] if len(args) == 1 else hint
    if get_origin(base) is Literal or base in (bool, int, float):
        return base | None, {}
    return str | None, {}


def settings_flags(only: tuple[str, ...] | None = None, **targets: type) -> Callable[[F], F]:
    """Give a command one flag per CLI field of each settings class in ``targets``
    (parameter name -> class: ``llm=LLMSettings``), declared from the fields themselves;
    the command receives the made, checked settings objects under those names. ``only``
    limits the flags to these field names."""

    def decorate(func: F) -> F:
        signature = inspect.signature(func, eval_str=True)
        kept = [p for p in signature.parameters.values() if p.name not in targets]
        owners: dict[str, str] = {}
        added = []
        for target, kind in targets.items():
            for f in cli_fields(kind):
                if only is not None and f.name not in only:
                    continue
                flag = f.metadata["flag"] or "--" + f.name.replace("_", "-")
                kind_of, extra = _flag_type(kind, f.name)
                if kind_of == bool | None and "/" not in flag:
                    flag = f"{flag}/--no-{flag[2:]}"
                decls = [flag] + ([f.metadata["short"]] if f.metadata["short"] else [])
                help_text = f.metadata["help"]
                option = typer.Option(
                    *decls,
                    help=help_text,
                    show_default=False,
                    rich_help_panel=kind.cli_panel,  # type: ignore[attr-defined]
                    **extra,
                )
                added.append(
                    inspect.Parameter(
                        f.name,
                        inspect.Parameter.KEYWORD_ONLY,
                        default=None,
                        annotation=Annotated[kind_of, option],
                    )
                )
                owners[f.name] = target

        @functools.wraps(func)
        def command(**kwargs: Any) -> Any:
            given: dict[str, dict[str, Any]] = {t: {} for t in targets}
            for name, target in owners.items():
                value = kwargs.pop(name)
                if value is not None:
                    given[target][name] = value
            try:
                for target, kind in targets.items():
                    kwargs[target] = kind(**given[target])
            except ZsExtractError as exc:
                _fail(str(exc))
                raise typer.Exit(2) from None
            return func(**kwargs)

        command.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[*kept, *added]
        )
        return cast(F, command)

    return decorate


def _version(value: bool) -> None:
    if value:
        out.print(f"zsextract {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Evidence-backed structured data from Chinese investment-promotion reports."""


def _fail(message: str) -> None:
    # the message as written: pip install "zsextract[tables]" keeps its brackets
    err.print(Text.assemble(("error:", "red"), " ", message), highlight=False)


def _cannot_write(path: Path, exc: OSError) -> NoReturn:
    """One line naming the output that cannot be written, and exit code 2."""
    reason = "is a folder" if isinstance(exc, IsADirectoryError) else exc.strerror or str(exc)
    _fail(f"{path}: cannot be written ({reason}); choose another path")
    raise typer.Exit(2) from None


def _write_file(path: Path, text: str) -> None:
    try:
        path.write_text(text, "utf-8")
    except OSError as exc:
        _cannot_write(path, exc)


def _extract_file(
    path: Path, engine: Backend, metadata: dict[str, Any] | None = None
) -> PromotionReport | None:
    """The report of one file, or None after a one-line error (the run goes on)."""
    try:
        return extract(read_article(path), backend=engine, path=path, metadata=metadata)
    except Exception as exc:  # a bug, too, must not cost the other files their reports
        _fail(DocumentError.from_exception(exc).line(str(path), engine.name))
    return None


def _engine(name: str | None, llm: LLMSettings) -> Backend:
    """The named backend, or the default (said in one line on stderr), built once."""
    if name is None:
        name, reason = default_backend(os.environ, llm)
        if reason:
            err.print(f"zsextract: {reason}", highlight=False, markup=False)
    if name == "llm":
        _check_local_server(llm)
    try:
        return build_backend(name, llm)
    except ZsExtractError as exc:
        _fail(str(exc))
        raise typer.Exit(2) from None


def _check_local_server(llm: LLMSettings) -> None:
    """Stop at once, with the address and what to start, when a model server on this
    machine refuses connections (before openai and instructor are loaded)."""
    from .llm.settings import nothing_listens, refused_locally, resolve_endpoint

    try:
        base_url = resolve_endpoint(llm).base_url
    except ZsExtractError:
        return  # building the backend says what is missing
    if refused_locally(base_url):
        _fail(nothing_listens(base_url))
        raise typer.Exit(2)


def _render_table(report: PromotionReport, console: Console) -> None:
    title = report.source.path or "article"
    for part in PARTS:
        if not part.items(report) and part.name not in ("metric", "mechanism"):
            continue
        table = Table(title=f"{title}: {part.title.lower()}")
        for column in part.shown:  # the quote is what a reader checks: never cut short
            table.add_column(column, overflow="fold", min_width=12 if column == "quote" else None)
        for _, _, row in part.rows(report):
            table.add_row(*("" if row[c] is None else str(row[c]) for c in part.shown))
        console.print(table)
    if report.checks:
        table = Table(title=f"{title}: checks")
        for column in ("kind", "message", "items"):
            table.add_column(column, overflow="fold")
        for check in report.checks:
            table.add_row(check.kind, check.message, " ".join(check.items))
        console.print(table)


@app.command("extract", cls=_PeopleCommand)
@settings_flags(llm=LLMSettings)
def extract_cmd(
    paths: Annotated[
        list[Path], typer.Argument(metavar="ARTICLE", help="Article files (plain text or HTML).")
    ],
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            "-b",
            help="Backend name. Default: llm when an endpoint is configured, else rules.",
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat,
        typer.Option("--format", "-f", help="json: full reports; gold: GOLD.md format; table."),
    ] = OutputFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    *,
    llm: LLMSettings,
) -> None:
    """Extract a report from each article. JSON is one object per line for several files."""
    engine = _engine(backend, llm)
    failed = 0
    try:
        stream = open(output, "w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:
        _cannot_write(cast(Path, output), exc)
    console = Console(file=stream, width=200) if output else out
    try:
        for path in paths:
            report = _extract_file(path, engine)
            if report is None:
                failed += 1
                continue
            if fmt is OutputFormat.table:
                _render_table(report, console)
                continue
            data = (
                report.to_gold()
                if fmt is OutputFormat.gold
                else report.model_dump(mode="json", by_alias=True)
            )
            indent = 2 if len(paths) == 1 else None
            # written as soon as it is done, so a later failure loses nothing
            stream.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")
            stream.flush()
    finally:
        if output:
            stream.close()
    if failed:
        raise typer.Exit(1)


def _print_eval(result: EvalResult) -> None:
    table = Table(title="zsextract eval")
    for col in ("part", "tp", "pred", "gold", "precision", "recall", "F1"):
        table.add_column(col, justify="right" if col != "part" else "left")
    rows = [(p, result.parts[p]) for p in SCORED_PARTS]
    rows.insert(1, ("metrics (named)", result.metrics_named))
    for name, s in rows:
        table.add_row(
            name,
            str(s.tp),
            str(s.pred),
            str(s.gold),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
        )
    out.print(table)
    out.print(f"mean F1 over the four parts: {result.mean_f1:.3f}")
    out.print(
        "project amounts agreeing on matched projects: "
        f"{result.amount_agree}/{result.amount_checked}"
    )
    if result.period_accuracy is not None:
        agree = sum(d.period_agree for d in result.docs)
        out.print(
            f"period accuracy on matched metrics with dated gold: {result.period_accuracy:.3f} "
            f"({agree}/{result.period_checked})"
        )
    if result.missing_predictions:
        missing = ", ".join(result.missing_predictions)
        out.print(Text.assemble(("no prediction for:", "yellow"), " ", missing))


@app.command("eval", cls=_PeopleCommand)
@settings_flags(llm=LLMSettings)
def eval_cmd(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of gold JSON files.")],
    corpus: Annotated[
        Path | None, typer.Option("--corpus", help="Folder of the articles the gold files name.")
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option("--backend", "-b", help="Backend to run on --corpus (default as extract)."),
    ] = None,
    pred: Annotated[
        Path | None,
        typer.Option("--pred", help="Score this folder of predictions (gold format or reports)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print scores as JSON.")] = False,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write gold against prediction, article by article, here."),
    ] = None,
    *,
    llm: LLMSettings,
) -> None:
    """Score a backend (on --corpus) or saved predictions (--pred) by the rules of GOLD.md."""
    try:
        golds = load_gold_dir(gold)
        if pred is not None:
            preds = load_gold_dir(pred)
        elif corpus is not None:
            engine = _engine(backend, llm)
            preds = {}
            for key, g in golds.items():
                path = corpus / (g.doc or key + ".txt")
                # the publish date, as a crawl's metadata would give it
                known = {"publish_date": g.publish_date} if g.publish_date else None
                report = _extract_file(path, engine, known)
                if report is None:
                    continue
                preds[key] = GoldDoc.model_validate(report.to_gold(doc=path.name))
        else:
            _fail("give --corpus DIR (to run a backend) or --pred DIR (saved predictions)")
            raise typer.Exit(2)
    except ZsExtractError as exc:
        _fail(str(exc))
        raise typer.Exit(2) from None
    result = score(preds, golds)
    articles = {}
    if html is not None:
        from .evaluation.view import render_eval

        if corpus is not None:
            for key, g in golds.items():
                try:
                    articles[key] = read_article(corpus / (g.doc or key + ".txt"))
                except ZsExtractError:
                    pass
    # the scores first: a page that cannot be written must not lose them
    if as_json:
        sys.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_eval(result)
    if html is not None:
        _write_file(html, render_eval(result, golds, preds, articles))
        err.print(f"wrote {html}", markup=False)


@app.command("schema", cls=_PeopleCommand)
def schema_cmd(
    write: Annotated[
        Path | None, typer.Option("--write", help="Write every schema file into this folder.")
    ] = None,
    check: Annotated[
        Path | None,
        typer.Option("--check", help="Exit 1 if the schema files in this folder are out of date."),
    ] = None,
    name: Annotated[
        str, typer.Option("--name", help="Schema to print: report or gold.")
    ] = "report",
) -> None:
    """Print the JSON Schema of reports (or gold files), or write/check the files in schemas/."""
    schemas = json_schemas()
    if write is not None:
        for path in write_schemas(write):
            err.print(f"wrote {path}", markup=False)
        return
    if check is not None:
        stale = [
            n
            for n, s in schemas.items()
            if not (check / n).is_file() or (check / n).read_text("utf-8") != render_schema(s)
        ]
        if stale:
            _fail(
                f"out of date in {check}: {', '.join(stale)}; run: zsextract schema --write {check}"
            )
            raise typer.Exit(1)
        err.print(f"{check}: schemas are up to date", markup=False)
        return
    key = {"report": "promotion_report.schema.json", "gold": "gold.schema.json"}.get(name)
    if key is None:
        _fail(f"unknown schema {name!r}: choose report or gold")
        raise typer.Exit(2)
    sys.stdout.write(render_schema(schemas[key]))


@app.command("render", cls=_PeopleCommand)
def render_cmd(
    report_path: Annotated[
        Path,
        typer.Argument(metavar="REPORT", help="A report JSON (from extract or a batch line)."),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")],
    article: Annotated[
        Path | None,
        typer.Option("--article", help="The article, when the report should show this text."),
    ] = None,
) -> None:
    """Write a report as one self-contained HTML page with its evidence highlighted."""
    from .report.render import render_report

    try:
        data = json.loads(report_path.read_text("utf-8"))
        data = data.get("report", data) if isinstance(data, dict) else data
        if article is not None:
            data["source"]["text"] = read_article(article)
        report = PromotionReport.model_validate(data)
    except (OSError, ValueError, KeyError, TypeError, ZsExtractError) as exc:
        hint = " (is --article the article this report was made from?)" if article else ""
        _fail(f"{report_path}: not a report zsextract can render: {str(exc)[:300]}{hint}")
        raise typer.Exit(2) from None
    _write_file(output, render_report(report))
    err.print(f"wrote {output}", markup=False)


@app.command("consolidate", cls=_PeopleCommand)
def consolidate_cmd(
    reports: Annotated[
        list[Path],
        typer.Argument(metavar="REPORTS", help="JSONL files a batch run wrote (id, report)."),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="The facts to write: .parquet, .csv or .jsonl."),
    ],
    series_path: Annotated[
        Path | None,
        typer.Option("--series", help="Also write the series (.parquet, .csv or .jsonl)."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Also draw a place's series as one self-contained HTML."),
    ] = None,
    place: Annotated[
        str | None,
        typer.Option(
            "--place", help="The place to draw (division code or name); default: most points."
        ),
    ] = None,
    copies: Annotated[
        bool,
        typer.Option("--copies/--no-copies", help="Group copies of one article (MinHash)."),
    ] = True,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Jaccard similarity that makes two documents copies."),
    ] = None,
) -> None:
    """Fold many reports into facts: one row per place, period, category, measure and
    scope, with every source and whether they agree (same, rounding, conflict)."""
    from .dataset import consolidate, plot_series, series, write_facts, write_plot
    from .dataset.output import write_series
    from .dataset.reading import read_report_lines

    missing = [str(p) for p in reports if not p.is_file()]
    if missing:
        _fail(f"no such file: {', '.join(missing)} (give the JSONL a batch run wrote)")
        raise typer.Exit(2)
    inputs = {p.resolve() for p in reports}
    clashing = [str(p) for p in (output, series_path, plot) if p and p.resolve() in inputs]
    if clashing:
        _fail(f"{', '.join(clashing)} is an input: write the output to another file")
        raise typer.Exit(2)
    try:
        read = read_report_lines(reports)
    except (OSError, ValueError) as exc:
        _fail(str(exc))
        raise typer.Exit(2) from None
    for note in read.notes[:20]:
        err.print(f"skipped {note}", markup=False)
    if len(read.notes) > 20:
        err.print(f"skipped {len(read.notes) - 20} more lines", markup=False)
    if read.failed:
        err.print(f"left out {read.failed} documents that failed in their batch run", markup=False)
    if not read.reports:
        _fail(f"no reports in {', '.join(map(str, reports))}: give the JSONL a batch run wrote")
        raise typer.Exit(2)
    try:
        result = consolidate(read.reports, copies=copies, threshold=threshold)
        written = write_facts(result, output)
        points = series(result.facts) if (series_path or plot) else []
        if series_path is not None:
            write_series(points, series_path)
        if plot is not None:
            chosen = place or _busiest_place(points)
            if chosen is None:
                _fail("nothing to plot: no figure has months and a value")
                raise typer.Exit(1)
            write_plot(plot_series(points, chosen), plot)
    except (ZsExtractError, ValueError) as exc:
        _fail(str(exc))
        raise typer.Exit(2) from None
    agreements = {k: sum(f.agreement == k for f in result.facts) for k in ("same", "rounding")}
    err.print(
        f"{result.documents} documents, {len(result.copies)} groups of copies, {written} facts "
        f"({agreements['same']} same, {agreements['rounding']} rounding, "
        f"{len(result.conflicts)} conflict) -> {output}",
        markup=False,
    )
    for fact in result.conflicts[:20]:
        values = ", ".join(f"{s.display} ({s.doc_id})" for s in fact.sources)
        err.print(f"conflict: {fact.place} {fact.measure} {fact.period}: {values}", markup=False)


def _busiest_place(points: list[Any]) -> str | None:
    counts: dict[str, int] = {}
    for p in points:
        if p.place:
            counts[p.place] = counts.get(p.place, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


class TableFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


@app.command("batch", cls=_PeopleCommand)
@settings_flags(llm=LLMSettings, runs=BatchOptions)
def batch_cmd(
    source: Annotated[
        str,
        typer.Argument(
            metavar="INPUT", help="A folder, a glob, or a JSONL of {id, text, metadata}."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL written line by line.")],
    fmt: Annotated[
        TableFormat,
        typer.Option("--format", "-f", help="Also write a long table next to the JSONL."),
    ] = TableFormat.jsonl,
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar on stderr.")
    ] = True,
    price_file: Annotated[
        Path | None, typer.Option("--price-file", help="Price table JSON (as data/prices.json).")
    ] = None,
    backend: Annotated[
        str | None, typer.Option("--backend", "-b", help="Backend name (default as extract).")
    ] = None,
    *,
    llm: LLMSettings,
    runs: BatchOptions,
) -> None:
    """Extract many documents: one JSON line each, appended as it finishes (resumable)."""
    from .batch import extract_many
    from .report.tables import write_table

    engine = _engine(backend, llm)
    try:
        prices = json.loads(price_file.read_text("utf-8")) if price_file else None
        options = replace(runs, output=output, progress=progress, prices=prices)
        summary = extract_many(source, engine, options=options)
    except (ZsExtractError, OSError, ValueError) as exc:
        _fail(str(exc))
        raise typer.Exit(2) from None
    table = Table(title="zsextract batch")
    for col in ("done", "cached", "failed", "skipped", "tokens", "est. cost", "seconds"):
        table.add_column(col, justify="right")
    cost = f"{summary.cost:.4f} {summary.currency}" if summary.cost is not None else "n/a"
    table.add_row(
        str(summary.done),
        str(summary.cached),
        str(summary.failed),
        str(summary.skipped),
        f"{summary.prompt_tokens + summary.completion_tokens:,}",
        cost,
        f"{summary.elapsed_s:.1f}",
    )
    err.print(table)
    if fmt is not TableFormat.jsonl:
        table_path = output.with_suffix("." + fmt.value)
        try:
            rows = write_table(output, table_path)
        except ZsExtractError as exc:
            _fail(str(exc))
            raise typer.Exit(2) from None
        except OSError as exc:
            _cannot_write(table_path, exc)
        err.print(f"wrote {table_path} ({rows} rows)", markup=False)
    if summary.failed:
        err.print(
            f"{summary.failed} document(s) failed: their lines in {output} say why", markup=False
        )
        raise typer.Exit(1)


@app.command("regress", cls=_PeopleCommand)
@settings_flags(only=("provider", "model"), llm=LLMSettings)
def regress_cmd(
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of articles (*.txt, *.html).")],
    cassettes: Annotated[Path, typer.Option("--cassettes", help="Folder of <article>.yaml.")],
    snapshots: Annotated[Path, typer.Option("--snapshots", help="Folder of <article>.json.")],
    update: Annotated[
        bool, typer.Option("--update", help="Accept today's reports as the new snapshots.")
    ] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Write the diff as HTML here.")
    ] = None,
    record: Annotated[
        list[str] | None,
        typer.Option(
            "--record",
            help="Record these articles' cassettes again from the endpoint given by "
            "--provider/--model (reaches the network). 'stale' records every stale one.",
        ),
    ] = None,
    *,
    llm: LLMSettings,
) -> None:
    """Replay recorded LLM traffic offline and compare each report with its snapshot."""
    from .regress.runner import record_cassette, run_regression

    try:
        if record:
            names = set(record)
            if "stale" in names:
                before = run_regression(corpus, cassettes, snapshots)
                names |= {
                    a.article for a in before.articles if a.status in ("stale", "no-cassette")
                }
                names.discard("stale")
            for name in sorted(names):
                article = next(p for p in corpus.iterdir() if p.stem == name)
                chosen = {"provider": llm.provider, "model": llm.model}
                opts = {k: v for k, v in chosen.items() if v}
                record_cassette(article, cassettes / f"{name}.yaml", **opts)
                err.print(f"recorded {cassettes / (name + '.yaml')}", markup=False)
        result = run_regression(corpus, cassettes, snapshots, update=update)
    except (ZsExtractError, StopIteration, OSError) as exc:
        _fail(str(exc) or f"{type(exc).__name__}: no such article in {corpus}")
        raise typer.Exit(2) from None
    table = Table(title="zsextract regress")
    for col in ("article", "status", "changes"):
        table.add_column(col)
    for a in result.articles:
        table.add_row(a.article, a.status, str(len(a.changes)) if a.changes else "")
    out.print(table)
    for a in result.articles:
        if a.status == "same":
            continue
        out.print(f"[bold]{a.article}[/bold]: {a.status}", highlight=False)
        if a.reason:
            out.print(f"  {a.reason}", highlight=False, markup=False)
        if a.command:
            out.print(f"  record again: {a.command}", highlight=False, markup=False)
        for change in a.changes:
            out.print(f"  {change}", highlight=False, markup=False)
    summary = ", ".join(
        f"{result.count(s)} {s}"
        for s in ("same", "changed", "new", "stale", "no-cassette", "error")
        if result.count(s)
    )
    out.print(summary + (" (snapshots updated)" if update else ""))
    if html is not None:
        from .regress.view import render_regression

        _write_file(html, render_regression(result))
        err.print(f"wrote {html}", markup=False)
    if not result.ok:
        raise typer.Exit(1)


def main() -> None:
    """Entry point of the ``zsextract`` command."""
    # zsextract reports failures itself, one line each; instructor's own error log would
    # repeat every failed attempt
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    app()


if __name__ == "__main__":
    main()
