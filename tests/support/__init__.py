"""Support code for tests and benchmarks (not part of the product): real servers on loopback (:mod:`.servers`)."""
