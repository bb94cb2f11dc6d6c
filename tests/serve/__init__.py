"""Tests of `nigraph serve` against a running server (fixtures in conftest.py)."""
