"""The committed JSON Schemas equal what the models generate; every case.yaml points at one."""

from conftest import ROOT

from casebook.schema import generate


def test_committed_schemas_are_up_to_date():
    for name, text in generate().items():
        path = ROOT / "schema" / name
        assert path.exists(), f"run `casebook schema` to create {name}"
        assert path.read_text(encoding="utf-8") == text, f"schema/{name} is stale: run `casebook schema`"


def test_every_case_yaml_references_the_schema():
    for path in sorted((ROOT / "cases").glob("*/case.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/case.schema.json", path
