"""Restricted-party screening engine: list parsing, normalisation, index, matching, explanations.

Imports only the domain, the packaged resources, the standard library and the matching libraries
(rapidfuzz, anyascii, PyYAML): no database, no Qt.
"""
