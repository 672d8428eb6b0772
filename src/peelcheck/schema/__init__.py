"""Stage 2: typed models of packs, rules, conditions and records (pydantic, closed schemas)."""
