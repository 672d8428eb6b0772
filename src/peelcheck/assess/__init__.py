"""Stage 5: from outcome tallies to rule and area results (the one typed result every report renders)."""
