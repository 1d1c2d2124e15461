"""Text bound for a spreadsheet cell (CSV or XLSX exports anyone may open in Excel)."""

# Spreadsheets run a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defused_cell(value: object) -> str:
    """The value as text, with a leading ' where a spreadsheet would otherwise run it as a formula."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
