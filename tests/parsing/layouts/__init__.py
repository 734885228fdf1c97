"""The metamorphic layout suite: every gold list rendered in every layout family must parse like the gold."""

import sys
from pathlib import Path

# builders.py, score_corpora.py and score_plan.py are scripts in tests/parsing, imported by name.
_PARSING_TESTS = str(Path(__file__).resolve().parent.parent)
if _PARSING_TESTS not in sys.path:
    sys.path.insert(0, _PARSING_TESTS)
