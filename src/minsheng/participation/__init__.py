"""Public participation (公众参与): solicitation, the deputies' vote, inspections, ratings, feedback, assessment.

A plain package: each sub-package is its own Django app (``minsheng.participation.<name>``).
"""
