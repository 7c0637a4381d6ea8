"""Local runner for `make run`: supervisor, service table and gateway (nginx) config."""
