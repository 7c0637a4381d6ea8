"""Pydantic v2 request/response schemas shared by services and clients."""
