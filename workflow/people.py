"""How a person is named on every page, message and record: the glossary's one rule
(org/glossary.py), re-exported where the workflow's templates and services look."""

from org.glossary import NOBODY, display_name

__all__ = ["NOBODY", "display_name"]
