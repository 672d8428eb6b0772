"""peelcheck: executable self-assessment against HMICFRS PEEL expectations.

The package is split by pipeline stage: load -> schema -> compile -> evaluate -> assess -> report,
with the command line in ``cli``. Each stage takes the previous stage's typed output. Imports go one
way: schema (the typed models) < load < compile < evaluate < assess < pipeline (and rule_examples,
which run those stages) < report < cli < bdd, with ``errors``, ``exitcodes`` and ``positions`` below
them all (tests/test_import_graph.py holds the package to it).
"""

import os

__version__ = "0.1.0"

# Arrow's memory from the C library's allocator unless the user chose another (read when pyarrow first
# allocates): mimalloc, pyarrow's own default, kept the pages it had freed, and the columnar engine's
# peak memory over 1,000,000 records was 15 MiB more, in the same time (bench/README.md)
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
