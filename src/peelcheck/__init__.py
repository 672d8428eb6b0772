"""peelcheck: executable self-assessment against HMICFRS PEEL expectations.

The package is split by pipeline stage: load -> schema -> compile -> evaluate -> assess -> report,
with the command line in ``cli``. Each stage takes the previous stage's typed output. Imports go one
way: schema (the typed models) < load < compile < evaluate < assess < pipeline (and rule_examples,
which run those stages) < report < cli < bdd, with ``errors``, ``exitcodes`` and ``positions`` below
them all (tests/test_import_graph.py holds the package to it).
"""

__version__ = "0.1.0"
