"""Periodic reporting: report forms, deadlines, entry, validation, approval, completeness.

Models live in `models.py` and are registered under the `collection` app label
(`CollectionConfig.ready` imports them). Domain logic is in `services/`, the rule engine
in `rules.py`, the Excel round-trip in `excel.py`. Data values themselves are written only
through `dxboard.collection.values.save_values`.
"""
