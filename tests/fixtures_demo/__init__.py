"""Tests that read the demo county: one load for the whole package (`demo_county_for_package`,
20-30 s on PostgreSQL), each test in a savepoint of it. Transactional tests (live_server)
cannot run inside it and load their own."""
