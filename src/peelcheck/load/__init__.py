"""Stage 1: reading files (YAML with source positions, pack folders, record files)."""
