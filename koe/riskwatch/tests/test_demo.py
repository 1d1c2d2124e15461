from datetime import date

import pytest

from koe.core.testing.personas import Personas
from koe.programmes import demo as programmes_demo
from koe.programmes.selectors import covered_company_ids
from koe.riskwatch import demo as riskwatch_demo
from koe.riskwatch.models import OrgRiskAlert
from koe.riskwatch.tests.factories import local

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_alerts_to_employers_and_their_brand_holders(personas: Personas) -> None:
    run = riskwatch_demo.seed(employers=[personas.org_a1, personas.org_a2, personas.org_b1],
                              now=local(date(2026, 11, 30)))  # fmt: skip
    assert run.created == 6
    assert OrgRiskAlert.objects.filter(organization=personas.org_a).count() == 2
    assert OrgRiskAlert.objects.get(subject=personas.org_a2, organization=personas.org_a2).shown_count == 6


def test_the_demo_subscribes_brand_holders_covering_their_chains(personas: Personas) -> None:
    made = programmes_demo.seed(basic=personas.org_a, expansion=personas.org_b, standalone=personas.org_s)
    assert [subscription.monthly_fee for subscription in made] == [110_000, 205_000, 10_000]
    assert covered_company_ids(personas.org_a) == {personas.org_a.pk, personas.org_a1.pk, personas.org_a2.pk}
