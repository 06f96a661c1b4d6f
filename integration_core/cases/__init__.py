"""Case plans of the integration counselling (Integrationsplan): selectors, rules and services.

- ``access``: who sees which case; ``case_for_read`` logs every read of a single case.
- ``parts``: which parts a counselling type requires, and whether they are complete.
- ``duration``: the 3 + 1 year rule and the 60-day warning.
- ``independence``: "Eigenständiges Leben" (2 of 3), in Python and as a database expression.
- ``consent``: consent records, withdrawal, the statistics, handover and Part A/B gates.
- ``services`` / ``services_parts``: the writes; ``anonymise``: the retention rule.
"""
