"""The blueprint the QA sub-domains share for their pages under /qa. Sampling, audits and the decision
agent each add routes to it from their views.py, so endpoint names stay `qa.*` (url_for and the
navigation's QA section rely on them); each sub-domain's own `templates` blueprint, which has no
routes, serves its templates folder."""

from flask import Blueprint

bp = Blueprint("qa", __name__, url_prefix="/qa")
