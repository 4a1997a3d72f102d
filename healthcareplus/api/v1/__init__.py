"""The versioned public REST API (``/api/v1``): see ``app``."""

from healthcareplus.api.v1.app import API_PREFIX, create_v1_app

__all__ = ["API_PREFIX", "create_v1_app"]
