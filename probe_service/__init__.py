"""probe_service: uptime monitors (HTTP(S), TCP, ping, DNS, TLS, push) checked on schedule."""
