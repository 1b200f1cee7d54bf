"""The councils' savings model, with its inputs kept beside every figure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SavingsInputs:
    """Rates are pence per hour; hours are per week summed over active providers."""

    hours_per_week: float
    commissioned_rate_pence: int
    micro_rate_pence: int
    direct_payment_rate_pence: int
    direct_payment_share: float  # 0..1 of those hours funded by direct payments


@dataclass(frozen=True)
class Savings:
    against_commissioned_pence: int
    direct_payment_pence: int
    inputs: SavingsInputs


def estimate_savings(inputs: SavingsInputs) -> Savings:
    """hours x 52 x (commissioned - micro); and hours x DP share x 52 x (commissioned - DP)."""
    yearly_hours = inputs.hours_per_week * 52
    against = yearly_hours * (inputs.commissioned_rate_pence - inputs.micro_rate_pence)
    dp = (
        yearly_hours
        * inputs.direct_payment_share
        * (inputs.commissioned_rate_pence - inputs.direct_payment_rate_pence)
    )
    return Savings(round(against), round(dp), inputs)
