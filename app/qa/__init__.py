"""Quality assurance of live work, in five sub-domains. Each has its models, pure modules, services,
views, forms and templates:

- ``quality``: the daily rollups behind the dashboards, audited accuracy, lead agreement, and the
  certification link: the monitoring rule's suspension proposals, their pages, and lifting a suspension
  whose evidence is overturned; ``flask qa rebuild-rollup``.
- ``decisions``: live decisions and their findings, ingest and its formats, the automated-QA rules,
  idempotency, the decisions API, CSV upload and ``flask qa import``.
- ``sampling``: sampling plans, the pure selection, weekly runs, the plan pages and ``flask qa sample``.
- ``audits``: the audit queue and verdicts, external audits, disputes, and an agent's own audits.
- ``decision_agent``: the decision agent's quality page, FP/FN patterns and their A/B/C routing, threshold
  evidence, the retraining export and misclassification batches.

Layering (tests/qa/test_layering.py enforces it):

- Models are the floor: any module here may import any sub-domain's ``models``; a ``models`` module
  imports only other models. ``blueprints.py`` (the ``qa`` blueprint the pages share) is floor too.
- Other code is ordered ``quality < decisions < sampling < audits < decision_agent``: a module may import
  from its own sub-domain and those below it, never from one above. Writes that several sub-domains
  trigger (rollup counts, the certification link) therefore live at the bottom, and the decision agent,
  which reads everything, at the top.
"""
