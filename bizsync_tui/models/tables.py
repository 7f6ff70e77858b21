"""The peewee models of the settings database."""

from __future__ import annotations

import datetime as dt

import peewee

database = peewee.DatabaseProxy()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class BaseModel(peewee.Model):
    class Meta:
        database = database


class Setting(BaseModel):
    """One setting (keys of ARCHITECTURE.md). Secret values hold a Fernet token."""

    key = peewee.CharField(primary_key=True, max_length=64)
    value = peewee.TextField(default="")
    secret = peewee.BooleanField(default=False)
    updated_at = peewee.DateTimeField(default=utcnow)


class Company(BaseModel):
    """A published Sage company, or a group of companies (`is_group`)."""

    short_code = peewee.CharField(unique=True, max_length=17)
    dossier = peewee.CharField(max_length=17, default="")
    name = peewee.CharField(max_length=69)
    accounting_source = peewee.TextField(default="")
    commercial_source = peewee.TextField(default="")
    enabled = peewee.BooleanField(default=True)
    revenue_prefixes = peewee.CharField(default="70")  # comma-separated account prefixes
    cash_prefixes = peewee.CharField(default="")
    is_group = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "company"

    def view_ids(self) -> list[str]:
        """The checked view ids (the engine orders them by the catalogue)."""
        return sorted(cv.view_id for cv in self.views)

    def prefixes(self, field: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in getattr(self, field).split(",") if p.strip())


class CompanyView(BaseModel):
    company = peewee.ForeignKeyField(Company, backref="views", on_delete="CASCADE")
    view_id = peewee.CharField(max_length=40)

    class Meta:
        indexes = ((("company", "view_id"), True),)


class GroupMember(BaseModel):
    group = peewee.ForeignKeyField(Company, backref="members", on_delete="CASCADE")
    member = peewee.ForeignKeyField(Company, backref="member_of", on_delete="RESTRICT")

    class Meta:
        indexes = ((("group", "member"), True),)


class MobileUser(BaseModel):
    login = peewee.CharField(unique=True, max_length=64)
    name = peewee.CharField(max_length=100)
    password_verifier = peewee.TextField()  # scrypt$N$r$p$SALT$KEY, never the password
    created_at = peewee.DateTimeField(default=utcnow)


class Grant(BaseModel):
    user = peewee.ForeignKeyField(MobileUser, backref="grants", on_delete="CASCADE")
    company = peewee.ForeignKeyField(Company, backref="grants", on_delete="CASCADE")
    view_id = peewee.CharField(max_length=40)

    class Meta:
        indexes = ((("user", "company", "view_id"), True),)


class JournalEntry(BaseModel):
    at = peewee.DateTimeField(default=utcnow, index=True)  # UTC
    operation = peewee.CharField(max_length=40)  # publish, delete, users, delete_all, check
    company = peewee.CharField(max_length=17, default="")  # short code, '' for client-wide
    success = peewee.BooleanField(index=True)
    message = peewee.TextField(default="")
    duration_ms = peewee.IntegerField(default=0)
    figures = peewee.TextField(default="")  # JSON of what was sent (views, counts)
    trigger = peewee.CharField(max_length=20, default="manual")  # manual, cli, wizard, scheduler, catch-up


ALL_TABLES = [Setting, Company, CompanyView, GroupMember, MobileUser, Grant, JournalEntry]
