"""Data package: the table schemas as a Frictionless Data Package descriptor.

Input: ``schemas/<table>.yaml`` (through ``output.schema.load_table_schema``). Output: the
``datapackage.json`` descriptor (a dict) describing every Parquet table of ``extracted/``,
or every CSV file of a ``export --csv`` folder; no timestamps, no absolute paths, so the
same schemas give the same bytes.
"""

from __future__ import annotations

from typing import Any

from .schema import DERIVED_TABLES, TABLES, load_table_schema, to_arrow_type

PACKAGE_NAME = "kaigi-extract"
PACKAGE_TITLE = "在宅療養の事業と予算 / Home medical care programs and budgets (kaigi-extract)"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
# How each format's files are described: suffix, format, mediatype, extra resource keys.
FORMATS = {
    "parquet": {"format": "parquet", "mediatype": PARQUET_MEDIATYPE},
    "csv": {"format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig"},
}


def build_field(field: dict[str, Any], fmt: str = "csv") -> dict[str, Any]:
    """Return a Table Schema field descriptor with the keys the package needs, in a stable form.

    In the Parquet package a list column is typed ``any`` and its exact Parquet type is given
    in ``arrowType`` (``list<item: string>``): Frictionless reads Parquet through pandas, which
    hands it lists as numpy arrays that its ``array`` type refuses. The CSV package keeps
    ``array`` with ``arrayItem``, which Frictionless checks item by item.
    """
    if fmt == "parquet" and field["type"] == "array":
        described: dict[str, Any] = {"name": field["name"], "type": "any", "arrowType": str(to_arrow_type(field))}
        if "description" in field:
            described["description"] = " ".join(str(field["description"]).split())
        return described
    out: dict[str, Any] = {"name": field["name"], "type": field["type"]}
    if "description" in field:
        out["description"] = " ".join(str(field["description"]).split())
    if "arrayItem" in field:
        out["arrayItem"] = build_field({"name": "item", **field["arrayItem"]})
        out["arrayItem"].pop("name")
    if "fields" in field:
        out["fields"] = [build_field(f) for f in field["fields"]]
    return out


def build_resource(table: str, fmt: str = "parquet") -> dict[str, Any]:
    """Return the resource descriptor of one table stored as ``fmt`` (``parquet`` or ``csv``)."""
    spec = load_table_schema(table)
    schema: dict[str, Any] = {"fields": [build_field(f, fmt) for f in spec["fields"]]}
    if spec.get("primaryKey"):
        schema["primaryKey"] = list(spec["primaryKey"])
    return {
        "name": table,
        "path": f"{table}.{fmt}",
        **FORMATS[fmt],
        "title": spec.get("title", table),
        "description": " ".join(str(spec.get("description", "")).split()),
        "schema": schema,
    }


def build_datapackage(tables: tuple[str, ...] = TABLES + DERIVED_TABLES, fmt: str = "parquet") -> dict[str, Any]:
    """Return the Data Package descriptor of ``tables`` stored as ``fmt`` files."""
    if fmt == "csv":
        storage = (
            "This is the CSV export: UTF-8 with a byte-order mark, lists and structs as JSON text, "
            "nulls as empty cells; a text cell beginning with = + - or @ may carry a leading ' for Excel."
        )
    else:
        storage = (
            "List columns are Parquet lists (of strings, integers or structs); their exact Parquet "
            "type is given in `arrowType`, and the field is typed `any` because Frictionless reads "
            "Parquet through pandas, where lists arrive as numpy arrays. The CSV export's package "
            "types them `array` with `arrayItem`."
        )
    return {
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": (
            "Tables extracted from Japanese local-government meeting materials. Every column is "
            "described in Japanese and English. " + storage
        ),
        "resources": [build_resource(t, fmt) for t in tables],
    }
