"""Request and response bodies of sign-in, the caller and API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from healthcareplus.domain.accounts.api_keys import SCOPES, ApiKeyView
from healthcareplus.domain.accounts.api_tokens import TokenPair


def _seconds(until: datetime, now: datetime) -> int:
    return max(0, int((until - now).total_seconds()))


class TokenResponse(BaseModel):
    """A new pair of tokens (OAuth2 token response): keep the refresh token secret."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "hcp_at_6Vq0…",
                    "token_type": "bearer",
                    "expires_in": 900,
                    "refresh_token": "hcp_rt_Jx3p…",
                    "refresh_expires_in": 604800,
                }
            ]
        }
    )

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds the access token stays valid")
    refresh_token: str = Field(description="Single use: POST /auth/refresh for a new pair")
    refresh_expires_in: int = Field(description="Seconds the refresh token stays valid")

    @classmethod
    def of(cls, pair: TokenPair, now: datetime) -> TokenResponse:
        return cls(
            access_token=pair.access_token,
            expires_in=_seconds(pair.access_expires_at, now),
            refresh_token=pair.refresh_token,
            refresh_expires_in=_seconds(pair.refresh_expires_at, now),
        )


class RefreshRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"refresh_token": "hcp_rt_Jx3p…"}]}
    )

    refresh_token: str = Field(max_length=512)


class LogoutRequest(BaseModel):
    """Optional: sign out with the refresh token when the access token has expired."""

    model_config = ConfigDict(extra="forbid")

    refresh_token: str | None = Field(default=None, max_length=512)


class ApiKeyInfo(BaseModel):
    id: int
    name: str


class Me(BaseModel):
    """The caller: a person signed in with a bearer token, or an API key and its admin."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "name": "Asha Rao",
                    "email": "asha@example.in",
                    "role": "patient",
                    "auth": "bearer",
                    "scopes": ["appointments:read", "appointments:write", "catalog:read"],
                    "api_key": None,
                }
            ]
        }
    )

    id: int
    name: str
    email: str
    role: str
    auth: Literal["bearer", "api_key"]
    scopes: list[str]
    api_key: ApiKeyInfo | None = Field(default=None, description="The key, when one is used")


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Reception display, Koramangala",
                    "scopes": ["catalog:read", "appointments:read"],
                    "expires_at": "2027-12-31T18:30:00Z",
                }
            ]
        },
    )

    name: str = Field(max_length=200, description="Who or what uses the key")
    scopes: list[str] = Field(
        min_length=1,
        max_length=20,
        description="What the key may do: "
        + "; ".join(f"`{name}`: {text}" for name, text in SCOPES.items()),
        json_schema_extra={"items": {"type": "string", "enum": list(SCOPES)}},
    )
    expires_at: datetime | None = Field(
        default=None, description="When the key stops working (none: until revoked)"
    )


class ApiKeyOut(BaseModel):
    """A key as listed (never the key itself)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "name": "Reception display, Koramangala",
                    "prefix": "hcp_key_Q2xv9TbZ",
                    "scopes": ["appointments:read", "catalog:read"],
                    "status": "active",
                    "created_at": "2026-11-28T04:30:00Z",
                    "created_by": {"id": 1, "name": "Meera Iyer"},
                    "expires_at": None,
                    "last_used_at": "2026-11-28T05:02:11Z",
                    "revoked_at": None,
                }
            ]
        }
    )

    id: int
    name: str
    prefix: str = Field(description="The key's first characters, to recognise it")
    scopes: list[str]
    status: Literal["active", "expired", "revoked"]
    created_at: datetime
    created_by: ApiKeyInfo
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, view: ApiKeyView) -> ApiKeyOut:
        return cls(
            id=view.id,
            name=view.name,
            prefix=view.prefix,
            scopes=list(view.scopes),
            status=view.status,  # type: ignore[arg-type]
            created_at=view.created_at,
            created_by=ApiKeyInfo(id=view.created_by_user_id, name=view.created_by_name),
            expires_at=view.expires_at,
            last_used_at=view.last_used_at,
            revoked_at=view.revoked_at,
        )


class ApiKeyCreated(ApiKeyOut):
    """A new key: ``key`` is shown this once and cannot be read again."""

    key: str = Field(description="Send as X-API-Key; shown only in this answer")


class ApiKeyList(BaseModel):
    items: list[ApiKeyOut]


__all__ = [
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyList",
    "ApiKeyOut",
    "LogoutRequest",
    "Me",
    "RefreshRequest",
    "TokenResponse",
]
