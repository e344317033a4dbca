"""`briefs schema`: JSON Schemas of the data file and the profile, for editors."""

from __future__ import annotations

import json

from .models import Dataset, Profile

__all__ = ["schema_json"]


def schema_json() -> str:
    """Return both schemas as one JSON document keyed by kind."""
    schemas = {
        "data": Dataset.model_json_schema(),
        "profile": Profile.model_json_schema(),
    }
    return json.dumps(schemas, indent=2, ensure_ascii=False)
