"""Helpers for CSV files people open in a spreadsheet."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formula injection (OWASP): a cell that a spreadsheet
    would run as a formula gets a leading apostrophe."""
    if value and value.startswith(_FORMULA_START):
        return "'" + value
    return value
