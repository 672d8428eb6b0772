"""The closed model base and the constrained names every pack file uses (re-exported by ``pack``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
RuleRef = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}-[0-9]{2,4}[A-Z]?$")]
Reason = Annotated[str, StringConstraints(min_length=3)]


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
