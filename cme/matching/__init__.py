"""Child matching: normalisation, a trained Fellegi-Sunter model and a fast lookup index.

Plain Python (no Django). See docs/matching.md.
"""

from cme.matching.errors import MatchingError, MatchingInputError, ModelError
from cme.matching.index import Match, MatchIndex, compare
from cme.matching.model import Model, default_model, load_model
from cme.matching.records import COLUMNS, read_csv

__all__ = [
    "COLUMNS",
    "Match",
    "MatchIndex",
    "MatchingError",
    "MatchingInputError",
    "Model",
    "ModelError",
    "compare",
    "default_model",
    "load_model",
    "read_csv",
]
