"""History logic without HTTP: line protocol, PromQL, time ranges, chart queries."""
