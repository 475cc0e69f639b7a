"""Everything a calibration session shows about agreement, computed from a single encoding."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from app.metrics.agreement import (
    AlphaInterval,
    AlphaResult,
    DisputedUnit,
    RaterInfluence,
    bootstrap_alpha,
    encode_for_level,
    krippendorff_alpha,
    most_disputed,
    rater_influence,
)
from app.metrics.kappa import PairwiseKappa, pairwise_kappa
from app.metrics.ratings import Table


@dataclass(frozen=True)
class AgreementReport:
    """Alpha, its bootstrap interval, each rater's influence, pairwise kappa and the disputed units."""

    categories: tuple[Hashable, ...]
    alpha: AlphaResult
    interval: AlphaInterval
    influence: list[RaterInfluence]
    kappa: PairwiseKappa
    disputed: list[DisputedUnit]


def agreement_report(
    table: Table,
    *,
    seed: int | np.random.Generator,
    level: str = "nominal",
    categories: Sequence[Hashable] | None = None,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    disputed_limit: int | None = 10,
) -> AgreementReport:
    """Full agreement report for a units x raters table (rater and unit indices follow the table)."""
    ratings = encode_for_level(table, categories, level)
    return AgreementReport(
        categories=ratings.categories,
        alpha=krippendorff_alpha(ratings, level),
        interval=bootstrap_alpha(
            ratings, seed=seed, level=level, n_resamples=n_resamples, confidence=confidence
        ),
        influence=rater_influence(ratings, level),
        kappa=pairwise_kappa(ratings),
        disputed=most_disputed(ratings, level, limit=disputed_limit),
    )
