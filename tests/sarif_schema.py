"""Checking SARIF against the SARIF 2.1.0 schema (as pydantic-sarif's generated models, which forbid
unknown properties and hold the schema's types and minimums)."""

from __future__ import annotations

from typing import Any

from pydantic_sarif.model import StaticAnalysisResultsFormatSarifVersion210JsonSchema as SarifLog


def assert_valid_sarif(log: dict[str, Any]) -> None:
    SarifLog.model_validate(log)

