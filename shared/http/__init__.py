"""The HTTP layer every service shares: app assembly, problem+json errors, middleware, ops endpoints."""
