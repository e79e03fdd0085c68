"""People, their roles (memberships, coordinator countries) and credentials."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.accounts.addresses import email_key
from app.accounts.enums import MembershipRole, MembershipStatus
from app.core.database import TimestampMixin, personal, utcnow
from app.core.enums import enum_type
from app.core.extensions import db


class User(UserMixin, TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, info=personal())
    #: The address as compared: look-alikes share it (``app.accounts.addresses``).
    email_key: Mapped[str] = mapped_column(String(254), unique=True, info=personal())
    name: Mapped[str] = mapped_column(String(120), info=personal())
    password_hash: Mapped[str | None] = mapped_column(String(255), info=personal())
    locale: Mapped[str | None] = mapped_column(String(8))
    #: Set when the owner of the address followed the confirmation link.
    email_verified_at: Mapped[datetime | None] = mapped_column(info=personal())
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: Changes on logout, password change or deactivation; old session cookies stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    totp_secret: Mapped[str | None] = mapped_column(String(64), info=personal())
    #: A secret being set up, until a code confirms it (see ``app.accounts.totp``).
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64), info=personal())
    #: The last 30-second step whose code was used: codes of it and earlier are refused.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, info=personal())
    #: Wrong codes in a row; ``TOTP_MAX_FAILURES`` of them lock codes until the time below.
    totp_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    totp_locked_until: Mapped[datetime | None] = mapped_column(info=personal())
    last_login_at: Mapped[datetime | None] = mapped_column(info=personal())

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    coordinator_countries: Mapped[list[CoordinatorCountry]] = relationship(
        cascade="all, delete-orphan", order_by="CoordinatorCountry.country_code"
    )

    @validates("email")
    def _compare_as(self, _name: str, value: str) -> str:
        """Whatever sets the address sets its comparison key."""
        self.email_key = email_key(value)
        return value

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def country_codes(self) -> set[str]:
        return {row.country_code for row in self.coordinator_countries}


class Membership(TimestampMixin, db.Model):
    """A user's place in a school: member or school admin, once approved."""

    __table_args__ = (Index("ix_membership_school_status", "school_id", "status"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[MembershipRole] = mapped_column(
        enum_type(MembershipRole, "membership_role"), default=MembershipRole.MEMBER
    )
    status: Mapped[MembershipStatus] = mapped_column(
        enum_type(MembershipStatus, "membership_status"), default=MembershipStatus.PENDING
    )

    user: Mapped[User] = relationship(back_populates="memberships")
    school = relationship("School")


class CoordinatorCountry(db.Model):
    """A national coordinator's responsibility for one country."""

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), primary_key=True)


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class PasswordResetToken(db.Model):
    """A single-use password reset token; only its SHA-256 digest is stored."""

    __table_args__ = (CheckConstraint("expires_at > created_at", name="expiry_after_creation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
