"""Periodic reporting: report forms, deadlines, entry, validation, approval, completeness.

Domain logic is in `services/`, the rule engine in `rules.py`, the Excel round-trip in
`excel.py`. Data values themselves are written only through
`dxboard.collection.values.save_values`.
"""
