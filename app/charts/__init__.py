"""Chart figures as plain Plotly JSON. Pure: no flask, no sqlalchemy; labels arrive translated."""
