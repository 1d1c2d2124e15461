"""What a questionnaire item checks: the ILO indicators of forced labour and the rights behind them.

Each tag has a fixed bit, so a response stores the tags it shows as one integer
(`Response.shown_tags`) and reports count them in the database with a bitwise AND. Never renumber
a bit: stored responses would change meaning. Add new tags with new bits.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Tag:
    code: str
    bit: int
    label: Promise
    is_ilo_indicator: bool

    @property
    def mask(self) -> int:
        return 1 << self.bit


# ILO, Indicators of Forced Labour (2012): the eleven indicators, bits 0-10.
ILO_INDICATORS = (
    Tag("abuse_of_vulnerability", 0, _("Abuse of vulnerability"), True),
    Tag("deception", 1, _("Deception"), True),
    Tag("restriction_of_movement", 2, _("Restriction of movement"), True),
    Tag("isolation", 3, _("Isolation"), True),
    Tag("physical_and_sexual_violence", 4, _("Physical and sexual violence"), True),
    Tag("intimidation_and_threats", 5, _("Intimidation and threats"), True),
    Tag("retention_of_identity_documents", 6, _("Retention of identity documents"), True),
    Tag("withholding_of_wages", 7, _("Withholding of wages"), True),
    Tag("debt_bondage", 8, _("Debt bondage"), True),
    Tag("abusive_working_and_living_conditions", 9, _("Abusive working and living conditions"), True),
    Tag("excessive_overtime", 10, _("Excessive overtime"), True),
)

# Rights under Japanese law and fair-recruitment principles, bits 16 and up.
RIGHTS = (
    Tag("no_recruitment_fees", 16, _("No recruitment fees"), False),
    Tag("no_deposits_or_penalties", 17, _("No deposits or penalty contracts"), False),
    Tag("contract_in_own_language", 18, _("A contract you understand"), False),
    Tag("minimum_wage", 19, _("Minimum wage"), False),
    Tag("overtime_pay", 20, _("Overtime pay"), False),
    Tag("lawful_deductions", 21, _("Only lawful deductions from wages"), False),
    Tag("rest_and_days_off", 22, _("Rest and days off"), False),
    Tag("freedom_from_harassment", 23, _("Freedom from violence and harassment"), False),
    Tag("private_life", 24, _("Private life (phone, going out, relationships, pregnancy)"), False),
    Tag("decent_housing", 25, _("Decent housing at a fair price"), False),
    Tag("safe_workplace", 26, _("Safety at work"), False),
    Tag("health_and_injury_care", 27, _("Health care and injury compensation"), False),
    Tag("social_insurance", 28, _("Social insurance"), False),
    Tag("freedom_to_change_employer", 29, _("Freedom to quit or change employer"), False),
    Tag("access_to_remedy", 30, _("Access to help and remedy"), False),
)

ALL_TAGS = ILO_INDICATORS + RIGHTS
TAGS_BY_CODE = {tag.code: tag for tag in ALL_TAGS}


def mask_of(codes: "list[str] | tuple[str, ...] | set[str]") -> int:
    mask = 0
    for code in codes:
        mask |= TAGS_BY_CODE[code].mask
    return mask


def tags_in(mask: int) -> list[Tag]:
    return [tag for tag in ALL_TAGS if mask & tag.mask]
