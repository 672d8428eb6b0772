"""Stage 4: evaluating compiled rules over records, in durable-rules or in plain Python (the oracle)."""
