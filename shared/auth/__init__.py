"""Authentication (bearer JWT) and agency-scoped authorization, shared by every service."""
