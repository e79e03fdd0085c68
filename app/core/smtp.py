"""Talking to the SMTP server: a connection per message in a web process; in a worker
process (:mod:`app.core.jobs` turns it on) one connection kept open between messages,
so that a batch of reminders does not pay a connection and a greeting for each."""

from __future__ import annotations

import contextlib
import smtplib
from email.message import EmailMessage

_kept: dict[str, object] = {"on": False, "key": None, "connection": None}


def keep_connections(on: bool) -> None:
    _kept["on"] = on
    if not on:
        _close()


def _open(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
    if config["MAIL_USE_TLS"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return smtp


def _close() -> None:
    connection = _kept["connection"]
    _kept["connection"] = _kept["key"] = None
    if connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.quit()  # type: ignore[attr-defined]
        connection.close()  # type: ignore[attr-defined]


def send(message: EmailMessage, config) -> None:
    if not _kept["on"]:
        with _open(config) as smtp:
            smtp.send_message(message)
        return
    key = f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}:{config['MAIL_USERNAME']}"
    connection = _kept["connection"] if _kept["key"] == key else None
    if connection is not None:
        try:
            connection.send_message(message)  # type: ignore[attr-defined]
            return
        except smtplib.SMTPServerDisconnected:
            _close()  # the server closed the idle connection: a new one below
        except smtplib.SMTPRecipientsRefused:
            raise  # the connection is still good (smtplib reset the transaction)
        except (smtplib.SMTPException, OSError):
            _close()
            raise
    _close()
    connection = _open(config)
    _kept.update(key=key, connection=connection)
    try:
        connection.send_message(message)
    except smtplib.SMTPRecipientsRefused:
        raise
    except (smtplib.SMTPException, OSError):
        _close()
        raise
