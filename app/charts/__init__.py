"""Chart figures as plain Plotly JSON. Pure: no flask, no sqlalchemy; labels arrive translated."""

from jinja2.utils import htmlsafe_json_dumps


def chart_json(figure: dict) -> str:
    """A figure as JSON safe inside <script type="application/json">: plain json.dumps would let a
    "</script>" in a label end the element and inject markup."""
    return str(htmlsafe_json_dumps(figure))
