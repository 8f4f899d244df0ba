"""`make bench`: the engine's and the portal's speed against floors measured in the same run.

Each benchmark measures the project's real code path and a hand-written floor for the same
work on the same machine in the same run, and reports the ratio; absolute figures depend on
the machine, ratios much less. Benchmarks are not tests: the test suite runs this code on
tiny sizes for correctness only (tests/bench), never asserting a time.
"""
