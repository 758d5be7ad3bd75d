"""JSON Schemas for editors' autocompletion, generated from the pydantic models.

The committed files in ``schema/`` are kept equal to what this module
generates by a test; regenerate them with ``casebook schema``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from . import models

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "case.schema.json": (models.Case, "城市基层党建比较案例库: case.yaml"),
    "indicators.schema.json": (models.IndicatorsFile, "城市基层党建比较案例库: data/indicators.yaml"),
    "mechanisms.schema.json": (models.MechanismsFile, "城市基层党建比较案例库: data/mechanisms.yaml"),
    "glossary.schema.json": (models.GlossaryFile, "城市基层党建比较案例库: data/glossary.yaml"),
    "policy.schema.json": (models.Policy, "城市基层党建比较案例库: data/policy.yaml"),
    "site.schema.json": (models.SiteFile, "城市基层党建比较案例库: data/site.yaml"),
    "provinces.schema.json": (models.ProvincesFile, "城市基层党建比较案例库: data/provinces.yaml"),
}


def generate() -> dict[str, str]:
    out = {}
    for name, (model, title) in SCHEMAS.items():
        schema = model.model_json_schema(mode="validation")
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}
        out[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return out


def write(root: Path) -> list[Path]:
    folder = root / "schema"
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in generate().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
