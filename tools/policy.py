"""The programme policy as validated data (tiers, rates, rules), loaded from YAML.

HQ edits ``tools/policy.yaml`` (or the file named by ``KOC_POLICY``) without touching code. The
pydantic models below reject anything inconsistent at start-up, and the error names the field
(``tiers.2.thresholds.fans``) so a typo never silently changes someone's commission.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from base.settings import get_settings

Criterion = Literal["posts", "interactions", "net_sales_cents", "group_size", "fans"]
CRITERIA: tuple[Criterion, ...] = ("posts", "interactions", "net_sales_cents", "group_size", "fans")


class PolicyError(ValueError):
    """The policy file is missing, unreadable or invalid; the message names the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(_Strict):
    name_zh: str
    name_zh_tw: str
    name_en: str


class Category(Names):
    rate: Decimal = Field(ge=0, le=1)


class Product(_Strict):
    sku: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=32, description="Product code; any format the shop uses.")
    name_zh: str
    name_zh_tw: str
    name_en: str
    category: str
    price_cents: int = Field(gt=0)
    rate: Decimal | None = Field(None, ge=0, le=1, description="Product override of the category rate.")
    note: str = ""


class Wording(_Strict):
    """Words a KOC reads (a reward, a prize): ``text`` as HQ wrote it, and optionally the same in
    English and in Chinese (either script: a reply is converted to the asker's), so a Chinese answer
    never quotes an English reward."""

    text: str
    text_en: str = ""
    text_zh: str = ""

    def texts(self) -> dict[str, str]:
        """The wording by language ("en", "zh"), only those HQ wrote."""
        return {lang: text for lang, text in (("en", self.text_en), ("zh", self.text_zh)) if text}


class Reward(Wording):
    kind: str
    value_cents: int = Field(ge=0)


class Tier(Names):
    key: str
    entry: str = ""
    thresholds: dict[Criterion, int] = Field(default_factory=dict)
    multiplier: Decimal = Field(ge=1, le=5)
    monthly_trials: int = Field(ge=0)
    unlocks: list[str]
    promotion_reward: Reward | None = None

    @field_validator("thresholds")
    @classmethod
    def _non_negative(cls, value: dict[str, int]) -> dict[str, int]:
        for name, threshold in value.items():
            if threshold < 0:
                raise ValueError(f"threshold {name} must be >= 0")
        return value


class SecondLevel(_Strict):
    rate: Decimal = Field(ge=0, le=1)
    recruiter_kind: Literal["external"]
    recruit_kind: Literal["external"]
    max_levels: Literal[1]


class CommissionRules(_Strict):
    rounding: Literal["half_up"]
    external_multiplier: Decimal = Field(ge=0, le=5)
    second_level: SecondLevel
    freeze_days: int = Field(ge=0, le=365)
    settlement_day: int = Field(ge=1, le=28)
    refund_clawback: Literal["proportional"]


class Prize(Wording):
    rank_from: int = Field(ge=1)
    rank_to: int = Field(ge=1)
    kind: str
    value_cents: int = Field(ge=0)


class CompetitionRules(_Strict):
    min_paid_orders: int = Field(ge=1)
    rank_by: Literal["net_sales"]
    prizes: list[Prize]
    certificate_min_net_sales_cents: int = Field(ge=0)

    def prize_for(self, rank: int) -> Prize | None:
        return next((p for p in self.prizes if p.rank_from <= rank <= p.rank_to), None)


class TrialRules(_Strict):
    review_due_days: int = Field(ge=1)
    poor_score_below: int = Field(ge=0, le=100)
    #: the lowest tier (its key) whose KOCs may take evergreen-product trials; every tier above it may
    #: too. None: the programme has none.
    evergreen_from: str | None = None


class EliminationRules(_Strict):
    consecutive_poor_reviews: int = Field(ge=1)
    suspension_days: int = Field(ge=1)


class BlacklistRules(_Strict):
    due_days: int = Field(ge=1)
    reminders: int = Field(ge=0)
    grace_days: int = Field(ge=0)


class CoreRule(_Strict):
    text: str
    cancels_qualification: bool
    forfeits_unsettled: bool


class ExternalAssessment(_Strict):
    days: int = Field(ge=1)
    min_paid_orders: int = Field(ge=0)


class ProgrammeReward(_Strict):
    type: Literal["physical", "virtual", "spiritual", "advanced", "achievement", "special"]
    trigger: str
    reward: str


class Policy(_Strict):
    version: int
    brand: str
    currency: Literal["CNY"]
    categories: dict[str, Category]
    products: list[Product] = Field(min_length=1)
    criteria: dict[Criterion, Names]
    tiers: list[Tier] = Field(min_length=1)
    commission: CommissionRules
    competition: CompetitionRules
    trials: TrialRules
    elimination: EliminationRules
    blacklist: BlacklistRules
    core_rule: CoreRule
    external_assessment: ExternalAssessment
    rewards: list[ProgrammeReward]

    @model_validator(mode="after")
    def _consistent(self) -> "Policy":
        skus = [p.sku for p in self.products]
        if len(set(skus)) != len(skus):
            raise ValueError("products: duplicate SKU")
        for i, product in enumerate(self.products):
            if product.category not in self.categories:
                raise ValueError(f"products.{i}.category: unknown category {product.category!r}")
        keys = [t.key for t in self.tiers]
        if len(set(keys)) != len(keys):
            raise ValueError("tiers: duplicate tier key")
        if self.trials.evergreen_from is not None and self.trials.evergreen_from not in keys:
            raise ValueError(f"trials.evergreen_from: unknown tier {self.trials.evergreen_from!r}")
        for i in range(1, len(self.tiers)):
            lower, upper = self.tiers[i - 1], self.tiers[i]
            if upper.multiplier < lower.multiplier:
                raise ValueError(f"tiers.{i}.multiplier: lower than the tier below")
            for name, value in lower.thresholds.items():
                if upper.thresholds.get(name, 0) < value:
                    raise ValueError(f"tiers.{i}.thresholds.{name}: lower than the tier below")
        return self

    # --- look-ups used by the domain logic ----------------------------------
    def product(self, sku: str) -> Product:
        for product in self.products:
            if product.sku == sku:
                return product
        raise KeyError(sku)

    def product_rate(self, sku: str) -> tuple[Decimal, str]:
        """The commission rate of a product and where it comes from ("product" or "category")."""
        product = self.product(sku)
        if product.rate is not None:
            return product.rate, "product"
        return self.categories[product.category].rate, "category"

    def takes_evergreen_trials(self, tier_key: str) -> bool:
        """Whether a KOC of this tier may take evergreen-product trials (``trials.evergreen_from``)."""
        start = self.trials.evergreen_from
        return start is not None and self.tier_index(tier_key) >= self.tier_index(start)

    def tier(self, key: str) -> Tier:
        for tier in self.tiers:
            if tier.key == key:
                return tier
        raise KeyError(key)

    def tier_index(self, key: str) -> int:
        return [t.key for t in self.tiers].index(key)

    def next_tier(self, key: str) -> Tier | None:
        index = self.tier_index(key)
        return self.tiers[index + 1] if index + 1 < len(self.tiers) else None

    def multiplier(self, kind: str, tier_key: str) -> Decimal:
        if kind == "external":
            return self.commission.external_multiplier
        return self.tier(tier_key).multiplier


def _format_error(path: Path, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(root)"
        parts.append(f"{loc}: {err['msg']}")
    return f"invalid policy {path}: " + "; ".join(parts)


def load_policy(path: Path | str) -> Policy:
    """Read and validate a policy file; raises ``PolicyError`` naming the bad field."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PolicyError(f"policy file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise PolicyError(f"policy file {path} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise PolicyError(f"invalid policy {path}: the top level must be a mapping")
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        raise PolicyError(_format_error(path, exc)) from exc


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Policy:
    return load_policy(path)


def get_policy(path: Path | str | None = None) -> Policy:
    """The policy from ``path`` or ``KOC_POLICY``, cached until the file changes."""
    if path is None:
        path = get_settings().policy
    path = Path(path)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError as exc:
        raise PolicyError(f"policy file not found: {path}") from exc
    return _cached(str(path), mtime)
