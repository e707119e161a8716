"""The warning and error classes of ``ferrometrics.sklearn`` (scikit-learn's, re-declared).

scikit-learn is not a dependency, so its classes cannot be raised; these are declared the same
way, so that ``except ValueError`` (or ``TypeError``) and warning filters on ``UserWarning``
behave as with scikit-learn.
"""

from __future__ import annotations

__all__ = ["InvalidParameterError", "UndefinedMetricWarning"]


class UndefinedMetricWarning(UserWarning):
    """A metric is undefined for the input (e.g. ROC AUC when y_true has one class only)."""


class InvalidParameterError(ValueError, TypeError):
    """An argument has the wrong type or value (scikit-learn's parameter validation error)."""
