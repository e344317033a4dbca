"""JSON Schemas of the data file and the profile, generated from the models, for editors."""

from __future__ import annotations

import json
from typing import Any

from .models import Dataset, Profile

__all__ = ["schema_json"]


def schema_json(kind: str | None = None) -> str:
    """Return the schema of `kind` ('data' or 'profile'), or both keyed by kind when None."""
    schemas: dict[str, Any] = {"data": Dataset.model_json_schema(), "profile": Profile.model_json_schema()}
    chosen = schemas[kind] if kind else schemas
    return json.dumps(chosen, indent=2, ensure_ascii=False)
