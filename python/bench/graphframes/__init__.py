"""A stand-in for the `graphframes` package, for benchmarks only: the
GraphFrames jar cannot be fetched here (no Maven), so text-dedup's Spark
script gets its connected components from neardup's DataFrame
implementation (large-star / small-star) instead. Only what that script
calls exists: ``GraphFrame(vertices, edges).connectedComponents()``, giving
``(id, component)`` with the component named by its smallest vertex, as
GraphFrames does."""

from pyspark.sql import functions as F

from neardup.spark import _components


class GraphFrame:
    def __init__(self, vertices, edges):
        self.vertices = vertices
        self.edges = edges

    def connectedComponents(self):  # noqa: N802 - GraphFrames' name
        edges = self.edges.select(F.col("src").alias("u"), F.col("dst").alias("v"))
        comp = _components(edges, F)
        return comp.select(F.col("u").alias("id"), F.col("root").alias("component"))
