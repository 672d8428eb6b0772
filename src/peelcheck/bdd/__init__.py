"""Gherkin scenarios for rule packs: a pytest plugin with a step library rule authors reuse.

Installed with peelcheck and registered through the ``pytest11`` entry point (``peelcheck.bdd.plugin``):
any project with pytest-bdd and peelcheck installed can write ``.feature`` files against its own
pack without writing Python. See ``docs/rule-authors.md`` for the steps.
"""
