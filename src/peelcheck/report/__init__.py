"""Stage 6: rendering an Assessment; one module per format, all from the same model."""
