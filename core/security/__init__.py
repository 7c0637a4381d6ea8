"""Password hashing, JWTs and agent tokens."""
