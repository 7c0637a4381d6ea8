"""Auth logic without HTTP: functions take a session and raise core.errors on failure."""
