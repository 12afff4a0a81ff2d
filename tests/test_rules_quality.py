"""Quality floors of the rules backend, scored by the rules of GOLD.md.

Gold sets: the shared one beside the repository and tests/data (articles written for
this project, annotated by hand), held to the targets of the rules-backend issue; and
the develop half of corpus-extra and tests/data/written and written2, held to their
present scores.
A change that drops below them fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import zsextract
from zsextract import load_gold_dir, score

from .conftest import CORPUS, GOLD, ROOT

OWN = ROOT / "tests" / "data"
FLOORS = {"metrics": 0.90, "mechanisms": 0.80, "timelines": 0.80, "projects": 0.70}
NAMED_FLOOR = 0.75


def _scores(gold_dir: Path, corpus: Path) -> zsextract.EvalResult:
    golds = load_gold_dir(gold_dir)
    preds = {}
    for key, gold in golds.items():
        path = corpus / gold.doc
        report = zsextract.extract(zsextract.read_article(path), path=path)
        preds[key] = zsextract.GoldDoc.model_validate(report.to_gold())
    return score(preds, golds)


@pytest.mark.parametrize(
    "gold_dir,corpus",
    [
        pytest.param(
            GOLD,
            CORPUS,
            id="shared",
            marks=pytest.mark.skipif(not GOLD.is_dir(), reason="../shared is absent"),
        ),
        pytest.param(OWN / "gold", OWN / "articles", id="own"),
        pytest.param(OWN / "heldout" / "gold", OWN / "heldout" / "articles", id="heldout"),
    ],
)
def test_rules_backend_meets_the_floors(gold_dir: Path, corpus: Path) -> None:
    _hold(_scores(gold_dir, corpus), FLOORS, named=NAMED_FLOOR)


def _hold(result: zsextract.EvalResult, floors: dict[str, float], named: float) -> None:
    got = {part: round(result.parts[part].f1, 3) for part in floors}
    assert all(got[p] >= floor for p, floor in floors.items()), got
    assert result.metrics_named.f1 >= named, result.metrics_named.f1


#: the develop half of corpus-extra (tests/data/corpus_extra/README.md) at its present
#: scores: a regression guard, not a target; the test half is not scored here
EXTRA_DEVELOP = {"metrics": 0.92, "mechanisms": 0.95, "timelines": 0.57, "projects": 0.9}


@pytest.mark.skipif(not GOLD.is_dir(), reason="../shared is absent")
def test_rules_backend_keeps_its_scores_on_the_develop_half_of_corpus_extra() -> None:
    result = _scores(OWN / "corpus_extra" / "develop", CORPUS.parent / "corpus-extra")
    _hold(result, EXTRA_DEVELOP, named=0.86)


#: tests/data/written: ten articles written and annotated by a helper session for issue 13,
#: whose timeline conventions differ from the shared gold's (no role before an activity);
#: held to its present scores as a regression guard
WRITTEN = {"metrics": 0.96, "mechanisms": 0.96, "timelines": 0.78, "projects": 1.0}


def test_rules_backend_keeps_its_scores_on_the_written_set() -> None:
    result = _scores(OWN / "written" / "gold", OWN / "written" / "articles")
    _hold(result, WRITTEN, named=0.86)


#: tests/data/written2: twelve messier articles by a second helper session, half of them
#: developed on and half held (its split.json); held to its present scores
WRITTEN2 = {"metrics": 0.89, "mechanisms": 0.89, "timelines": 0.84, "projects": 0.92}


def test_rules_backend_keeps_its_scores_on_the_second_written_set() -> None:
    result = _scores(OWN / "written2" / "gold", OWN / "written2" / "articles")
    _hold(result, WRITTEN2, named=0.83)
