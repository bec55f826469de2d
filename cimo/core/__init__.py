"""The core layer: the realist vocabulary, the records, and the data derived from them.

Everything else in cimo (graph, edit, query, validate, render, io, exchange,
cli) is built on this package and never the other way round.
"""
