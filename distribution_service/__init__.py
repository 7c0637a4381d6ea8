"""distribution_service: the live view. Fans reports out from Redis pub/sub to WebSocket clients."""
