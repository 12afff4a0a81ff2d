"""zsextract: evidence-backed structured data from Chinese investment-promotion reports.

>>> import zsextract
>>> report = zsextract.extract("1至7月，全市新签项目157个，到位资金484.5亿元。")
>>> [(m.name, m.quantity.value, m.quantity.unit) for m in report.metrics]
[('新签项目', Decimal('157'), 'count'), ('到位资金', Decimal('48450000000'), 'CNY')]
"""

from __future__ import annotations

from ._data import mechanism_codes
from .api import extract
from .backends import Backend, Extraction, available_backends, get_backend, register_backend
from .errors import (
    BackendError,
    DataFileError,
    DecodeError,
    EmptyInputError,
    GoldFormatError,
    InputError,
    QuantityParseError,
    UnknownBackendError,
    ZsExtractError,
)
from .gold import GoldDoc, load_gold, load_gold_dir
from .quantity import QuantityMention, find_quantities, parse_chinese_number, parse_quantity
from .reading import read_article
from .schema import (
    Evidence,
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
)
from .scoring import EvalResult, PartScore, score
from .textclean import CleanText, clean_text
from .version import __version__

__all__ = [
    "Backend",
    "BackendError",
    "CleanText",
    "DataFileError",
    "DecodeError",
    "EmptyInputError",
    "EvalResult",
    "Evidence",
    "Extraction",
    "GoldDoc",
    "GoldFormatError",
    "InputError",
    "Mechanism",
    "Metric",
    "PartScore",
    "Project",
    "PromotionReport",
    "Provenance",
    "Qualifier",
    "Quantity",
    "QuantityMention",
    "QuantityParseError",
    "Source",
    "Timeline",
    "TimelineStage",
    "UnknownBackendError",
    "ZsExtractError",
    "__version__",
    "available_backends",
    "clean_text",
    "extract",
    "find_quantities",
    "get_backend",
    "load_gold",
    "load_gold_dir",
    "mechanism_codes",
    "parse_chinese_number",
    "parse_quantity",
    "read_article",
    "register_backend",
    "score",
]
