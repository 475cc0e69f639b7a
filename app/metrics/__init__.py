"""Pure measurement core: plain data in, plain data out; no flask, no sqlalchemy.

Modules:

- ``accuracy``: accuracy against a benchmark, Wilson / Clopper-Pearson interval, status vs target,
  audits needed to settle an inconclusive status.
- ``classification``: confusion matrix, per-class precision / recall / F1, macro and weighted averages.
- ``cost``: cost-weighted error score for pass / block / escalate decisions.
- ``ratings``: units x raters tables encoded to integer category codes (shared by agreement and kappa).
- ``coincidence``: vectorised Krippendorff coincidence-matrix kernel (bootstrap, leave-one-out).
- ``agreement``: Krippendorff's alpha, bootstrap interval, rater influence, disputed units.
- ``kappa``: Cohen's kappa, pairwise kappa matrix, Fleiss' kappa.
- ``agreement_report``: everything a calibration session shows, computed from one encoding.
- ``monitoring``: the anytime-valid suspension rule (one-sided SPRT as a test martingale), design-weighted.
- ``sample_size``: sample sizes for a margin, for demonstrating a target, and ANSI/ASQ Z1.4 code letters.
"""
