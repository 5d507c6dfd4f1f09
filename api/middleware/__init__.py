"""Pure ASGI middlewares: request id, security headers, body size limit (no per-request task overhead)."""
