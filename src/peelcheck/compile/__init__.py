"""Stage 3: binding rules to record types, type-checking them, and building durable-rules rulesets."""
