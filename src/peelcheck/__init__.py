"""peelcheck: executable self-assessment against HMICFRS PEEL expectations.

The package is split by pipeline stage: load -> schema -> compile -> evaluate -> assess -> report,
with the command line in ``cli``. Each stage takes the previous stage's typed output.
"""

__version__ = "0.1.0"
