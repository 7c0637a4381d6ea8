"""auth_service: users, organizations, members, sessions and agent registration (port 8000)."""
