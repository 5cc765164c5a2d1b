"""Dutch formatting for texts the application writes (explanations, findings)."""

from decimal import Decimal


def euro(amount: Decimal | int | float) -> str:
    """€ 2.400,50: Dutch grouping and decimal comma, whatever the active language."""
    whole, cents = f"{amount:,.2f}".split(".")
    return f"€ {whole.replace(',', '.')},{cents}"
