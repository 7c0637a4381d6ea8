"""Developer tooling: local datastore processes for the test harness and `make run`."""
