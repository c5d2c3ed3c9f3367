"""The student and HTML editions and the glossary. A package, so that its conftest does not shadow
tests/conftest.py, which other tests import as ``conftest``."""
