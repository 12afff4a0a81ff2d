"""zsextract: evidence-backed structured data from Chinese investment-promotion reports.

>>> import zsextract
>>> report = zsextract.extract("1至7月，全市新签项目157个，到位资金484.5亿元。")
>>> [(m.name, m.quantity.value, m.quantity.unit) for m in report.metrics]
[('新签项目', Decimal('157'), 'count'), ('到位资金', Decimal('48450000000'), 'CNY')]
"""

from __future__ import annotations

from .api import aextract, extract
from .backends import (
    Backend,
    BackendBase,
    Extraction,
    available_backends,
    build_backend,
    get_backend,
    register_backend,
    unregister_backend,
)
from .batch import BatchDoc, BatchSummary, aextract_many, extract_many
from .datafiles import mechanism_codes
from .errors import (
    BackendError,
    ConfigurationError,
    DataFileError,
    DeadlineError,
    DecodeError,
    DocumentError,
    EmptyInputError,
    GoldFormatError,
    GroundingError,
    InputError,
    LLMError,
    OutputError,
    PromptError,
    QuantityParseError,
    TokenBudgetError,
    TransportError,
    TruncatedOutputError,
    UnknownBackendError,
    UnknownOptionError,
    ZsExtractError,
)
from .evaluation.scoring import EvalResult, PartScore, score
from .events import Event, listening, subscribe
from .options import BatchOptions, LLMSettings
from .readers.quantities import (
    QuantityMention,
    find_quantities,
    parse_chinese_number,
    parse_quantity,
)
from .report.gold import GoldDoc
from .report.gold_files import load_gold, load_gold_dir
from .report.schema import (
    ArticleMeta,
    Check,
    Evidence,
    Interval,
    Mechanism,
    Metric,
    Project,
    PromotionReport,
    Provenance,
    Qualifier,
    Quantity,
    Source,
    Timeline,
    TimelineStage,
    Usage,
)
from .report.tables import to_frame, to_rows, write_table
from .text.clean import CleanText, clean_text
from .text.reading import read_article
from .version import __version__

_LAZY = {"LLMBackend", "load_prompts", "provider_names"}
#: the dataset names (zsextract.dataset: copies, facts, series, plots)
_DATASET = {
    "Consolidation",
    "Fact",
    "FactSource",
    "SeriesPoint",
    "consolidate",
    "find_copies",
    "plot_series",
    "series",
    "write_plot",
}


def __getattr__(name: str) -> object:
    """The LLM names load openai and instructor only when first used, the dataset
    names numpy and datasketch."""
    if name in _LAZY:
        from . import llm

        return getattr(llm, name)
    if name in _DATASET:
        from . import dataset

        return getattr(dataset, name)
    raise AttributeError(f"module 'zsextract' has no attribute {name!r}")


__all__ = [
    "ArticleMeta",
    "Backend",
    "BackendBase",
    "BackendError",
    "BatchDoc",
    "BatchOptions",
    "BatchSummary",
    "Check",
    "CleanText",
    "ConfigurationError",
    "Consolidation",
    "DataFileError",
    "DeadlineError",
    "DecodeError",
    "DocumentError",
    "EmptyInputError",
    "EvalResult",
    "Event",
    "Evidence",
    "Extraction",
    "Fact",
    "FactSource",
    "GoldDoc",
    "GoldFormatError",
    "GroundingError",
    "InputError",
    "Interval",
    "LLMBackend",
    "LLMError",
    "LLMSettings",
    "Mechanism",
    "Metric",
    "OutputError",
    "PartScore",
    "Project",
    "PromotionReport",
    "PromptError",
    "Provenance",
    "Qualifier",
    "Quantity",
    "QuantityMention",
    "QuantityParseError",
    "SeriesPoint",
    "Source",
    "Timeline",
    "TimelineStage",
    "TokenBudgetError",
    "TransportError",
    "TruncatedOutputError",
    "UnknownBackendError",
    "UnknownOptionError",
    "Usage",
    "ZsExtractError",
    "__version__",
    "aextract",
    "aextract_many",
    "available_backends",
    "build_backend",
    "clean_text",
    "consolidate",
    "extract",
    "extract_many",
    "find_copies",
    "find_quantities",
    "get_backend",
    "listening",
    "load_gold",
    "load_gold_dir",
    "load_prompts",
    "mechanism_codes",
    "parse_chinese_number",
    "parse_quantity",
    "plot_series",
    "provider_names",
    "read_article",
    "register_backend",
    "score",
    "series",
    "subscribe",
    "to_frame",
    "to_rows",
    "unregister_backend",
    "write_plot",
    "write_table",
]
