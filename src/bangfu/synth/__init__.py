"""Synthetic households and persons for demos, tests and benchmarks.

Not part of the registry: it writes registry rows, so it sits above the registry and nothing the
registry (or anything below it) imports may import it. See docs/decisions.md.
"""
