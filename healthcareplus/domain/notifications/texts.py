"""Texts (SMS and WhatsApp): the short message a notification becomes on a phone, and the
development provider.

No SMS or WhatsApp gateway is connected yet. A real one (an Indian SMS gateway with DLT
registered templates, or the WhatsApp Business API) is a ``Sender`` for its channel. Until
then the development provider *records* each text, one JSON line per message in
``text-messages.jsonl`` in the instance folder, and the message is marked ``recorded``,
never ``sent``: nothing reached a phone.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from healthcareplus.core.formatting import utc
from healthcareplus.core.models import Notification
from healthcareplus.domain.notifications.email import public_url

TEXT_MAX = 320  # two SMS segments
RECORDED = "recorded"
SIGNATURE = "HealthCarePlus"


def text_body(subject: str, link: str = "") -> str:
    """``"HealthCarePlus: <subject>. <absolute link>"``, cut to two SMS segments (the link
    is kept whole: a cut link is useless)."""
    url = public_url() + link if link else ""
    room = TEXT_MAX - len(SIGNATURE) - 2 - (len(url) + 1 if url else 0)
    words = subject if len(subject) <= room else subject[: max(room - 1, 0)].rstrip() + "…"
    return f"{SIGNATURE}: {words}" + (f" {url}" if url else "")


@dataclass
class RecordingTextSender:
    """The development provider for ``channel`` ("sms" or "whatsapp"): appends the text to
    ``path`` instead of sending it; its messages end ``recorded``."""

    channel: str
    path: Path
    outcome: str = RECORDED
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def send(self, message: Notification) -> None:
        line = {
            "channel": self.channel,
            "to": message.to_address,
            "text": message.body,
            "key": message.key,
            "due_at": utc(message.due_at).isoformat(),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


__all__ = ["RECORDED", "RecordingTextSender", "TEXT_MAX", "text_body"]
