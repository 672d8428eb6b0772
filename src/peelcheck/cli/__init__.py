"""Stage 7: the ``peelcheck`` command."""
