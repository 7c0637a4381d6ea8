"""`python -m agent_service` runs the headless agent."""

from agent_service.main import main

raise SystemExit(main())
