"""E-mail: composed in the recipient's language, kept in the outbox, sent after the commit.

``queue_mail`` renders the message and writes it to the outbox table in the transaction
of the change that causes it: a rollback takes the message with it, so nobody is told
about a change that did not happen, and a commit keeps it until it has been sent
(:mod:`app.core.outbox` delivers it, with retries, on a worker or in-process).
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from app.core import smtp
from app.core.extensions import db
from app.core.jobs import enqueue
from app.core.models import OutboxMessage

#: The sender's name in the default configuration, said in each reader's language.
SITE_NAME = "eTwinning School Network"

#: Messages "sent" with MAIL_BACKEND = "memory" (tests).
memory_outbox: list[EmailMessage] = []


@dataclass(frozen=True)
class Attachment:
    """A file sent with a mail: ``text/calendar; method=REQUEST`` for an invitation."""

    filename: str
    content_type: str
    data: bytes
    params: dict[str, str] = field(default_factory=dict)


def compose(to: str, locale: str, template: str, **context) -> EmailMessage:
    """Render ``mail/<template>.txt`` (its first line is the subject) in ``locale``."""
    with force_locale(locale):
        text = render_template(f"mail/{template}.txt", **context)
        sender = _sender(current_app.config["MAIL_DEFAULT_SENDER"])
    subject, _newline, body = text.strip().partition("\n")
    # Headers take the line length SMTP allows (998) instead of being folded at 78: Python
    # 3.11 drops the space between two words where it folds a non-ASCII subject (CPython
    # gh-144156), and a URL with no place to fold becomes an encoded word that mail
    # clients do not read as a link. The body is encoded already.
    message = EmailMessage(policy=policy.default.clone(max_line_length=998))
    message["Subject"] = subject.strip()
    message["From"] = sender
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="etwinning-network.example")
    message.set_content(body.strip() + "\n")
    # After set_content, which clears every Content-* header set before it.
    message["Content-Language"] = locale
    return message


def _sender(configured: str) -> str:
    """The configured sender, named in the reader's language when it carries the default
    name (a deployment that names its sender otherwise keeps that name)."""
    name, address = parseaddr(configured)
    if name != SITE_NAME:
        return configured
    return formataddr((str(_("eTwinning School Network")), address))


def queue_mail(
    to: str,
    locale: str | None,
    template: str,
    *,
    kind: str | None = None,
    key: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    **context,
) -> int | None:
    """Put a mail in the outbox, to be sent once the transaction commits.

    ``kind`` names the sort of mail (for preferences and the admin's filters); ``key``
    makes the call idempotent: a second mail with a key already in the outbox is not
    queued (``None`` is returned). ``headers`` are added to the message (List-Unsubscribe),
    ``attachments`` after its text. Returns the outbox row's id.
    """
    locale = locale or "en"
    message = compose(to, locale, template, **context)
    for attachment in attachments:
        maintype, _slash, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=attachment.params,
        )
    if attachments:  # the text moved into a part of its own, with its Content-* headers
        message["Content-Language"] = locale
    for name, value in (headers or {}).items():
        message[name] = value
    session = db.session()
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(OutboxMessage)
        .values(
            key=key or f"message:{uuid.uuid4().hex}",
            kind=kind,
            template=template,
            to_address=to,
            locale=locale,
            subject=str(message["Subject"])[:500],
            raw=message.as_string(),
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutboxMessage.id)
    )
    message_id = session.execute(statement).scalar()
    if message_id is not None:
        enqueue("mail.deliver", message_id)
    return message_id


def send_message(message: EmailMessage, config) -> None:
    """Hand one message to the configured backend; raises on failure."""
    backend = config["MAIL_BACKEND"]
    if backend == "memory":
        memory_outbox.append(message)
    elif backend == "console":
        print(message.as_string(), file=sys.stderr)
    elif backend == "file":
        directory = Path(config["MAIL_FILE_DIR"] or "instance/mail")
        directory.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_")
        (directory / f"{name}.eml").write_bytes(bytes(message))
    elif backend == "smtp":
        smtp.send(message, config)
    else:
        raise ValueError(f"unknown MAIL_BACKEND {backend!r}")
