"""Self-check aggregates at scale: one brand holder's supply chain by employer over 10 million
answers on PostgreSQL (target: p95 of 300 ms or less).

Data, written straight in SQL (INSERT … SELECT generate_series) into a throw-away database,
``koe_bench_selfcheck_aggregates``, created, migrated and dropped here: 2,004 organisations (four
brand holders, each with 500 supply-chain companies over three tiers: 50, 150 and 300), about
285,000 submitted responses spread unevenly over them (lognormal sizes), 35 answers each. Each
answer's weight is drawn from its item's prevalence times its employer's risk, so companies
differ; the snapshot (`shown_tags`, `red_flag`) is then computed from the answers in SQL, as a
submission would have.

Figures (21 runs each, p50 and p95):
- ``bh_500``: `aggregate(responses_in_supply_chain(bh), "employer")` and `suppressed_report`,
  computed afresh each run (the suppression cache emptied first), as after any new submission;
- ``bh_500.cached``: the same with the suppressed cells already cached (a repeat view);
- ``bh_500.query``: the aggregate query alone; ``t1_10.query``: the same for a tier-1 supplier
  and its 9 suppliers; both also ``query_without_index``, before ``REPORT_INDEX`` (the index
  asked of koe/surveys/models.py) exists;
- ``straightforward``: the same indicator counts from the answers at query time (answers joined
  to responses, weight >= 2, item -> tag mapping, COUNT(DISTINCT response) per employer and tag),
  and the respondents per employer; ``speedup_p95`` compares it with ``bh_500``.
Needs DATABASE_URL pointing at PostgreSQL; skipped otherwise.
"""

import os
import random
import time
from collections.abc import Callable
from typing import Any

from _django import report, setup_django_on_own_database
from _django import report_timings as shared_report_timings
from _django import timed_ms as shared_timed_ms

BENCH_DATABASE = "koe_bench_selfcheck_aggregates"
TIER_SIZES = (50, 150, 300)
BRAND_HOLDERS = 4
RESPONSES = 285_000
ITEMS = 35
RUNS = 21
SEED = 20261130

# The index asked of koe/surveys/models.py: submitted responses by employer, holding every column
# the aggregates read, so that a supply chain's counts come from an index-only scan.
REPORT_INDEX = (
    "CREATE INDEX response_report_idx ON surveys_response (employer_id) INCLUDE (shown_tags, red_flag,"
    " nationality, residence_status, industry, prefecture, round) WHERE status = 'submitted'"
)


def item_tags() -> dict[str, list[int]]:
    """35 items over the 26 tags: one tag each, the last nine a second one (as real items do)."""
    from koe.surveys.indicators import ALL_TAGS

    tags = {f"q{i + 1:02d}": [ALL_TAGS[i % len(ALL_TAGS)].bit] for i in range(ITEMS)}
    for i in range(len(ALL_TAGS), ITEMS):
        tags[f"q{i + 1:02d}"].append(ALL_TAGS[(i * 7) % len(ALL_TAGS)].bit)
    return tags


RED_ITEMS = ("q05", "q07", "q09")  # violence, documents kept, debt: weight 3 is a red flag


def prevalences() -> list[float]:
    """Forced-labour indicators are rarer (1-6%) than rights not respected (3-20%)."""
    rng = random.Random(SEED)
    return [rng.uniform(0.01, 0.06) if i < 11 else rng.uniform(0.03, 0.20) for i in range(ITEMS)]


def build_organisations() -> Any:
    """Four brand holders, each with 500 suppliers over three tiers; returns the first."""
    from koe.organizations.models import Organization, OrganizationKind, SupplyChainLink

    rng = random.Random(SEED)
    holders = []
    for number in range(BRAND_HOLDERS):
        holder = Organization.objects.create(
            name=f"Brand {number}", kind=OrganizationKind.BRAND_HOLDER, is_foreign=True, industry="I"
        )
        parents = [holder]
        for tier, size in enumerate(TIER_SIZES, start=1):
            level = Organization.objects.bulk_create(
                Organization(
                    name=f"Brand {number} supplier t{tier}-{index:03d}",
                    kind=OrganizationKind.SUPPLY_CHAIN,
                    is_foreign=True,
                    industry=rng.choice("ADEEEEIM"),
                    prefecture=f"{rng.randint(1, 47):02d}",
                )
                for index in range(size)
            )
            SupplyChainLink.objects.bulk_create(
                SupplyChainLink(buyer=parents[i % len(parents)], supplier=org, tier=tier)
                for i, org in enumerate(level)
            )
            parents = level
        holders.append(holder)
    return holders[0]


def response_sizes(organisation_ids: list[int]) -> list[int]:
    rng = random.Random(SEED)
    raw = [rng.lognormvariate(0, 0.9) for _ in organisation_ids]
    scale = RESPONSES / sum(raw)
    return [max(1, round(value * scale)) for value in raw]


FILL_STATEMENTS = [
    """INSERT INTO surveys_response (public_id, version_id, worker_id, status, language, draft_answers,
           resume_index, round, created_at, submitted_at, employer_id, nationality, residence_status,
           industry, prefecture, shown_tags, risk_score, red_flag, severity)
        SELECT gen_random_uuid(), %(version)s, NULL, 'submitted', 'vi', '', '', 1 + floor(random() * 6)::int,
               now(), now() - random() * interval '365 days', o.id,
               (ARRAY['vn','vn','vn','vn','cn','cn','cn','ph','ph','np','np','id','id','mm','th','kh','mn',
                      'lk','bd','br','pe','other'])[1 + floor(random() * 22)::int],
               (ARRAY['titp','titp','titp','esd','ssw1','ssw1','ssw2','professional','student',
                      'status_based','designated','other'])[1 + floor(random() * 12)::int],
               org.industry, org.prefecture, 0, 0, false, ''
        FROM unnest(%(organisations)s::bigint[], %(sizes)s::int[]) AS o(id, size)
        JOIN organizations_organization org ON org.id = o.id
        CROSS JOIN LATERAL generate_series(1, o.size) AS k
        ORDER BY random()""",  # submissions arrive mixed, not employer by employer
    # Each employer has its own risk (0.4 to 1.6 times the item's prevalence).
    """INSERT INTO surveys_answer (response_id, item, option, number, date, text, weight)
        SELECT r.id, 'q' || lpad(i::text, 2, '0'), '', NULL, NULL, '',
               CASE WHEN random() < (%(prevalences)s::float8[])[i] * (0.4 + ((r.employer_id * 37) %% 100) / 83.0)
                    THEN 2 + (random() < 0.35)::int ELSE (random() < 0.15)::int END
        FROM surveys_response r CROSS JOIN generate_series(1, %(items)s) AS i""",
    "CREATE TABLE bench_item_tag (item varchar(40), code varchar(60), bit int)",
    "INSERT INTO bench_item_tag SELECT * FROM unnest(%(tag_items)s::text[], %(tag_codes)s::text[], %(tag_bits)s::int[])",
    """UPDATE surveys_response r SET shown_tags = s.tags, red_flag = s.red
        FROM (SELECT a.response_id, bit_or(DISTINCT (1::bigint << t.bit)) AS tags,
                     bool_or(a.weight = 3 AND a.item = ANY(%(red_items)s)) AS red
              FROM surveys_answer a JOIN bench_item_tag t ON t.item = a.item
              WHERE a.weight >= 2 GROUP BY a.response_id) s
        WHERE s.response_id = r.id""",
    "CREATE INDEX answer_response_item_idx ON surveys_answer (response_id, item)",
]


def fill(version_id: int, organisation_ids: list[int]) -> None:
    from django.db import connection

    from koe.surveys.indicators import ALL_TAGS

    codes = {tag.bit: tag.code for tag in ALL_TAGS}
    pairs = [(item, bit) for item, bits in item_tags().items() for bit in bits]
    parameters: dict[str, Any] = {
        "version": version_id,
        "organisations": organisation_ids,
        "sizes": response_sizes(organisation_ids),
        "prevalences": prevalences(),
        "items": ITEMS,
        "tag_items": [item for item, _bit in pairs],
        "tag_codes": [codes[bit] for _item, bit in pairs],
        "tag_bits": [bit for _item, bit in pairs],
        "red_items": list(RED_ITEMS),
    }
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        drop_answer_constraints(cursor)
        for statement in FILL_STATEMENTS:
            cursor.execute(statement, parameters)
        cursor.execute("VACUUM ANALYZE")


def drop_answer_constraints(cursor: Any) -> None:
    """Ten million answers load several times faster without the foreign key and the indexes;
    the index on (response, item) is built again afterwards, the key is not needed to read."""
    from django.db import connection

    for name, info in connection.introspection.get_constraints(cursor, "surveys_answer").items():
        if info["foreign_key"]:
            cursor.execute(f'ALTER TABLE surveys_answer DROP CONSTRAINT "{name}"')
        elif info["index"] and not info["primary_key"]:
            cursor.execute(f'DROP INDEX "{name}"')


def straightforward_sql() -> str:
    from koe.organizations.selectors import _supply_chain_sql

    return f"""
        WITH scope(id) AS (SELECT %s UNION ({_supply_chain_sql()}))
        SELECT r.employer_id, t.code, COUNT(DISTINCT r.id)
        FROM surveys_answer a
        JOIN surveys_response r ON r.id = a.response_id
        JOIN bench_item_tag t ON t.item = a.item
        WHERE a.weight >= 2 AND r.status = 'submitted' AND r.employer_id IN (SELECT id FROM scope)
        GROUP BY r.employer_id, t.code
        UNION ALL
        SELECT r.employer_id, '', COUNT(*) FROM surveys_response r
        WHERE r.status = 'submitted' AND r.employer_id IN (SELECT id FROM scope)
        GROUP BY r.employer_id"""  # noqa: S608 - table names and SQL of our own, values as parameters


def straightforward(brand_holder_id: int) -> dict[tuple[int, str], int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(straightforward_sql(), [brand_holder_id, brand_holder_id])
        return {(employer, code): count for employer, code, count in cursor.fetchall()}


def check_same_counts(counts: Any, brand_holder_id: int) -> None:
    """Both ways count the same, and every supplier shows up."""
    slow = straightforward(brand_holder_id)
    for group in counts.groups:
        assert slow[(int(group.key), "")] == group.respondents, group.key
        for code, shown in group.shown.items():
            if code != "red_flag":
                assert slow.get((int(group.key), code), 0) == shown, (group.key, code)
    assert len(counts.groups) == 1 + sum(TIER_SIZES), len(counts.groups)


def generate() -> Any:
    """Everything the figures read; returns the first brand holder."""
    from koe.organizations.models import Organization
    from koe.surveys.models import Answer, Response
    from koe.surveys.services import questionnaire_version_load
    from koe.surveys.testing import small_document

    start = time.perf_counter()
    brand_holder = build_organisations()
    version = questionnaire_version_load(document=small_document(), publish=True)
    fill(version.pk, list(Organization.objects.order_by("pk").values_list("pk", flat=True)))
    report("selfcheck_aggregate.generate", time.perf_counter() - start, "s")
    report("selfcheck_aggregate.responses", Response.objects.count(), "responses")
    report("selfcheck_aggregate.answers", Answer.objects.count(), "answers")
    return brand_holder


def bench_aggregates() -> None:
    from django.core.cache import cache
    from django.db import connection

    from koe.organizations.models import Organization
    from koe.surveys.aggregates import aggregate, responses_in_supply_chain, suppressed_report

    brand_holder = generate()
    tier_1 = Organization.objects.get(name="Brand 0 supplier t1-000")  # itself and 9 suppliers

    def chain_counts(organisation: Any = brand_holder) -> Any:
        return aggregate(responses_in_supply_chain(organisation), "employer")

    def chain_report() -> object:
        return suppressed_report(chain_counts())

    with connection.cursor() as cursor:  # the migration made it: measure once without it first
        cursor.execute("DROP INDEX IF EXISTS response_report_idx")
        cursor.execute("ANALYZE surveys_response")
    report_timings("bh_500.query_without_index", timed_ms(chain_counts))
    report_timings("t1_10.query_without_index", timed_ms(lambda: chain_counts(tier_1)))
    with connection.cursor() as cursor:
        cursor.execute(REPORT_INDEX)
        cursor.execute("VACUUM ANALYZE surveys_response")

    counts = chain_counts()
    check_same_counts(counts, brand_holder.pk)
    report("selfcheck_aggregate.bh_500.respondents", counts.respondents, "responses")
    fresh = report_timings("bh_500", timed_ms(chain_report, before=cache.clear))
    report_timings("bh_500.cached", timed_ms(chain_report))
    query = report_timings("bh_500.query", timed_ms(chain_counts))
    report_timings("t1_10.query", timed_ms(lambda: chain_counts(tier_1)))
    slow = report_timings("straightforward", timed_ms(lambda: straightforward(brand_holder.pk)))
    report("selfcheck_aggregate.speedup_p95", slow / fresh, "x")
    report("selfcheck_aggregate.speedup_query_p95", slow / query, "x")
    shown = suppressed_report(counts)
    hidden = sum(figure.hidden for group in shown.groups for figure in group.figures.values())
    report(
        "selfcheck_aggregate.bh_500.hidden_share",
        100 * hidden / (len(shown.groups) * len(shown.measures)),
        "%",
    )
    report("selfcheck_aggregate.bh_500.withheld", len(shown.withheld), "measures")


def timed_ms(function: Callable[[], object], before: Callable[[], object] | None = None) -> list[float]:
    return shared_timed_ms(function, RUNS, before=before)


def report_timings(name: str, samples: list[float]) -> float:
    return shared_report_timings(f"selfcheck_aggregate.{name}", samples)


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("selfcheck_aggregate: skipped (set DATABASE_URL to a PostgreSQL server to run it)", flush=True)
    else:
        original_name = setup_django_on_own_database(BENCH_DATABASE)
        try:
            bench_aggregates()
        finally:
            from django.db import connection

            if not os.environ.get("KOE_BENCH_KEEP_DATABASE"):
                connection.creation.destroy_test_db(original_name, verbosity=0)
