"""The checks, one module for each family; importing this package registers them all.

``rules`` (R), ``mechanisms`` (M), ``nodes`` (N) and ``graph`` (G). A new
check is a function decorated with :func:`cimo.validate._registry.check` in
the module of its family, documented in ``docs/checks.md`` with a failing and
a passing example.
"""

from cimo.validate._checks import bypass, graph, mechanisms, nodes, rules

__all__ = ["bypass", "graph", "mechanisms", "nodes", "rules"]
