"""See supervision.models."""

__all__: list[str] = []
