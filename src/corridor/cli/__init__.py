"""The ``corridor`` command line: thin wrappers over the Python API."""
