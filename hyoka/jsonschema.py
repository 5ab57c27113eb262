"""JSON Schema for the content YAML, generated from the pydantic model (never written by hand)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from . import schema as S


_Doc = Annotated[S.Assessment | S.CouncilRecord, Field(discriminator="type")]


def document_schema() -> dict[str, Any]:
    schema = TypeAdapter(_Doc).json_schema(mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "評価書ポータル 文書（特定個人情報保護評価書 / 審議会記録）",
        **schema,
    }
    return schema
