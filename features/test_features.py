"""Every scenario of every .feature file in this folder, run through the peelcheck step library.

The steps come from the installed pytest plugin (peelcheck.bdd.plugin); this module only binds
the feature files to pytest.
"""

from pytest_bdd import scenarios

scenarios(".")
