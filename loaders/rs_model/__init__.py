"""The RS-table model shared by the loaders ``rs_csv`` (bulk CSV) and ``rs_sheet`` (single-sheet export).

A helper package, not a loader: :mod:`.records` (the typed record of one RS-table row), :mod:`.checks` (values read
at parse time and their load issues) and :mod:`.mapping` (records → triples, pure).
"""
