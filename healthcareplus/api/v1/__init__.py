"""The versioned public REST API (``/api/v1``): see ``app``."""

from healthcareplus.api.v1.app import API_PREFIX, create_v1_app
from healthcareplus.api.v1.mount import v1_mount

__all__ = ["API_PREFIX", "create_v1_app", "v1_mount"]
