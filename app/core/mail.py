"""E-mail: composed in the recipient's language, sent only after the transaction commits.

``queue_mail`` puts a message on the session's outbox; a listener sends the outbox
when the session commits and drops it on rollback, so nobody is told about a change
that did not happen.
"""

from __future__ import annotations

import smtplib
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.extensions import db

#: The sender's name in the default configuration, said in each reader's language.
SITE_NAME = "eTwinning School Network"

#: Messages "sent" with MAIL_BACKEND = "memory" (tests).
memory_outbox: list[EmailMessage] = []


@dataclass
class _Pending:
    message: EmailMessage
    app: object


def compose(to: str, locale: str, template: str, **context) -> EmailMessage:
    """Render ``mail/<template>.txt`` (its first line is the subject) in ``locale``."""
    with force_locale(locale):
        text = render_template(f"mail/{template}.txt", **context)
        sender = _sender(current_app.config["MAIL_DEFAULT_SENDER"])
    subject, _newline, body = text.strip().partition("\n")
    message = EmailMessage()
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


def queue_mail(to: str, locale: str | None, template: str, **context) -> None:
    message = compose(to, locale or "en", template, **context)
    session = db.session()
    if not session.in_transaction():
        # Without a transaction a rollback is a no-op that fires no event: the message
        # would then go out with whatever the session commits next.
        session.begin()
    outbox = session.info.setdefault("outbox", [])
    outbox.append(_Pending(message, current_app._get_current_object()))


def deliver(message: EmailMessage, config) -> None:
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
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        raise ValueError(f"unknown MAIL_BACKEND {backend!r}")


@event.listens_for(Session, "after_commit")
def _send_outbox(session: Session) -> None:
    for pending in session.info.pop("outbox", []):
        try:
            deliver(pending.message, pending.app.config)
        except (OSError, smtplib.SMTPException):
            pending.app.logger.exception("could not send mail to %s", pending.message["To"])


@event.listens_for(Session, "after_rollback")
def _drop_outbox(session: Session) -> None:
    session.info.pop("outbox", None)
