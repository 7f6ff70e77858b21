"""Request and answer bodies of PLATFORM_API.md, as pydantic models.

Every model refuses unknown fields (`extra="forbid"`), so a publisher that
sends a field the platform does not know gets a 422 naming it instead of a
silent drop. Dates and money stay the strings the publisher sent: a date is
checked to be a real ISO date, money must match `-?digits.2digits`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StrictInt,
                      create_model, field_validator, model_validator)

from bizsync_tui.engine import catalogue
from bizsync_tui.platform.store import verifier_bounds_problem

# A short code, client code or login: letters, digits and a few separators.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"
LOGIN_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"
MONEY_PATTERN = r"^-?[0-9]{1,15}\.[0-9]{2}$"

_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

# The largest scrypt work a verifier may ask for: N=131072, r=8, p=2 (128 MiB, twice).
MAX_SCRYPT_MEMORY = 128 * 8 * 131072


def _check_date(value: str) -> str:
    if not _DATE_RE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError("must be a real calendar date written YYYY-MM-DD") from None
    return value


def _check_datetime(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("must be an ISO 8601 date and time such as 2026-11-28T06:00:03Z") from None
    return value


IsoDate = Annotated[str, Field(max_length=10, json_schema_extra={"format": "date"}),
                    AfterValidator(_check_date)]
IsoDateTime = Annotated[str, Field(max_length=40, json_schema_extra={"format": "date-time"}),
                        AfterValidator(_check_datetime)]
Money = Annotated[str, Field(pattern=MONEY_PATTERN, max_length=19,
                             description="a decimal string with two decimals, e.g. \"12345.67\"")]
Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=32)]
Text = Annotated[str, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _ordered(start: str, end: str, what: str) -> None:
    if start > end:  # ISO dates compare as text
        raise ValueError(f"{what}: 'from' ({start}) is after 'to' ({end})")


# --- view data shapes ------------------------------------------------------

class Period(Strict):
    from_: IsoDate = Field(alias="from")
    to: IsoDate
    amount: Money

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _order(self):
        _ordered(self.from_, self.to, "period")
        return self


class AmountView(Strict):
    month: Period
    year: Period


class MonthAmountView(Strict):
    """A month-only amount (the month's portfolio and order book): no year."""

    month: Period


class RankingRow(Strict):
    rank: StrictInt = Field(ge=1, le=5)
    code: Annotated[str, Field(max_length=100)]
    label: Annotated[str, Field(max_length=200)]
    amount: Money


class RankingView(Strict):
    from_: IsoDate = Field(alias="from")
    to: IsoDate
    rows: list[RankingRow] = Field(max_length=5)

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _check(self):
        _ordered(self.from_, self.to, "ranking")
        for position, row in enumerate(self.rows, start=1):
            if row.rank != position:
                raise ValueError(f"rows must be ranked 1, 2, 3... in order; row {position} has rank {row.rank}")
        return self


class BalanceRow(Strict):
    code: Annotated[str, Field(max_length=100)]
    label: Annotated[str, Field(max_length=200)]
    amount: Money


class BalancesView(Strict):
    as_of: IsoDate
    rows: list[BalanceRow] = Field(max_length=500)
    total: Money


SHAPE_MODELS = {catalogue.AMOUNT: AmountView, catalogue.RANKING: RankingView,
                catalogue.BALANCES: BalancesView}

# One optional field per view of the catalogue, typed with the view's shape.
# A view that is absent is not published; `null` is refused.
Views = create_model(
    "Views",
    __base__=Strict,
    **{v.id: (MonthAmountView if (v.shape == catalogue.AMOUNT and v.period == "month") else SHAPE_MODELS[v.shape],
              Field(default=None, description=v.label_en))
       for v in catalogue.VIEWS},
)


# --- publication -------------------------------------------------------------

class Company(Strict):
    short_code: Code
    dossier: Annotated[str, Field(min_length=1, max_length=32)]
    name: Text
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class FiscalYear(Strict):
    start: IsoDate
    end: IsoDate

    @model_validator(mode="after")
    def _order(self):
        if self.start > self.end:
            raise ValueError(f"fiscal year starts ({self.start}) after it ends ({self.end})")
        return self


class Publication(Strict):
    publication_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$",
                                         description="a uuid4 chosen by the publisher; kept across retries")]
    company: Company
    as_of: IsoDate
    extracted_at: IsoDateTime
    fiscal_year: FiscalYear
    views: Views

    def as_json(self) -> dict:
        """The body as stored and served: views that were not sent stay absent."""
        data = self.model_dump(mode="json", by_alias=True, exclude={"views"})
        data["views"] = self.views.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return data


# The amount views only (for `previous`), typed as in Views.
AmountViews = create_model(
    "AmountViews",
    __base__=Strict,
    **{v.id: (MonthAmountView if v.period == "month" else AmountView, Field(default=None, description=v.label_en))
       for v in catalogue.VIEWS if v.shape == catalogue.AMOUNT},
)


class Previous(Strict):
    as_of: IsoDate
    views: AmountViews


class MobileViews(Publication):
    """GET /mobile/views: the publication with the granted views, and the previous one's amounts."""

    previous: Previous | None = Field(
        description="the company's publication before this one, reduced to the amount views this user "
                    "may see; null when there was none")


class PublicationStored(Strict):
    publication_id: str
    short_code: str
    views: int = Field(description="how many views the stored publication holds")
    status: Literal["stored", "unchanged"] = Field(
        description="`unchanged` when this publication_id was already received (a retry)")


# --- users -------------------------------------------------------------------

ViewId = Literal[catalogue.VIEW_IDS]  # type: ignore[valid-type]


class MobileUser(Strict):
    login: Annotated[str, Field(pattern=LOGIN_PATTERN, max_length=64)]
    name: Annotated[str, Field(max_length=200)]
    password_verifier: Annotated[str, Field(max_length=300, description="scrypt$N$r$p$SALT$KEY")]
    grants: dict[Code, list[ViewId]] = Field(
        description="company short code -> the view ids this user may see")

    @field_validator("password_verifier")
    @classmethod
    def _verifier(cls, value: str) -> str:
        problem = verifier_bounds_problem(value)  # format, then N, r and p within the cost bounds
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("grants")
    @classmethod
    def _grants(cls, value: dict) -> dict:
        if len(value) > 1000:
            raise ValueError("at most 1000 companies per user")
        return {code: list(dict.fromkeys(ids)) for code, ids in value.items()}


class UsersBody(Strict):
    users: list[MobileUser] = Field(max_length=10000)

    @model_validator(mode="after")
    def _unique(self):
        seen: set[str] = set()
        for user in self.users:
            if user.login in seen:
                raise ValueError(f"login '{user.login}' appears twice; each login must be unique")
            seen.add(user.login)
        return self


class UsersStored(Strict):
    users: int
    grants: int = Field(description="number of (user, company) grants stored")


# --- account and mobile ------------------------------------------------------

class Account(Strict):
    client_code: str


class LoginBody(Strict):
    client_code: Annotated[str, Field(max_length=64)]
    company_code: Annotated[str, Field(max_length=64)]
    login: Annotated[str, Field(max_length=64)]
    password: Annotated[str, Field(max_length=1024)]


class Token(Strict):
    token: str
    expires_at: str = Field(description="UTC, ISO 8601")


class ErrorDetail(Strict):
    code: str
    message: str


class ErrorBody(Strict):
    error: ErrorDetail
