"""The one persona every account wears, set by the operator."""

from __future__ import annotations

from pydantic import BaseModel

from momo.config import Settings


class Persona(BaseModel):
    name: str
    avatar: str


def from_settings(settings: Settings) -> Persona:
    return Persona(name=settings.persona_name, avatar=settings.persona_avatar)
