"""The consultation desk at scale: the case inbox and its search over 100,000 cases on PostgreSQL
(target: p95 of 200 ms or less).

Data, written straight in SQL (INSERT … SELECT generate_series) into a throw-away database,
``koe_bench_desk``, created, migrated and dropped here: 20 consultants, 2,000 organisations with
made-up Japanese company names, and 100,000 cases opened over three years. Most are closed or
resolved; about 5% are still open (the newest ones far more often), 3% critical and 12% urgent,
in the desk's ten languages (Vietnamese the most), 80% with a registered employer (a few large
employers hold many cases), one or two categories each. What the worker wrote is one token,
encrypted once for the field's context and reused: its size, not its content, is what the
database reads.

Each figure times exactly what the inbox view evaluates (koe/cases/views.py ``case_inbox``): the
filter form (its list of desk staff), the paginator's count, the first page of 50 with employer
and assignee, and the inbox totals. 31 runs after a warm-up, p50 and p95:

- ``inbox``: the inbox as a consultant opens it (open cases, no filter);
- ``inbox_filtered``: Vietnamese and overdue only;
- ``search.number``: a case number prefix (``K-2026-3F``);
- ``search.employer``: a fragment of an employer's name (``seiki``);
- ``search.words``: two words of what was written (koe/cases/search.py), a common one and a
  rarer one; ``search.words.common``: the commonest word alone, in a quarter of all cases;
- ``search.*.closed``: the same searches among closed cases (the status filter set to
  "Closed"), the largest set the form can search.

Words: each case holds 20 search tokens drawn from a vocabulary of 5,000 words (``word0001`` …),
hashed once in Python with the real ``blind_index`` and drawn in SQL with a skew (the first words
far more often, as in real speech: ``word0001`` is in about a quarter of the cases).

The searches are sequential scans of the cases with the wanted status: a trigram index on the
case number or the employer's name is not used while the search ORs them across the join (see
the report of issue 4). Needs DATABASE_URL pointing at PostgreSQL; skipped otherwise. ``KOE_BENCH_KEEP_DATABASE=1``
keeps the database for EXPLAIN ANALYZE afterwards.
"""

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from _django import report, setup_django_on_own_database
from _django import report_timings as shared_report_timings
from _django import timed_ms as shared_timed_ms

BENCH_DATABASE = "koe_bench_desk"
CASES = 100_000
ORGANISATIONS = 2_000
CONSULTANTS = 20
RUNS = 31
PAGE_SIZE = 50
VOCABULARY = 5_000
TOKENS_PER_CASE = 20

# Made-up company names: a family or place name, a trade, a legal form. Some trades ("Seiki",
# precision engineering) are common, as in real registers.
NAME_FIRST = ["Sakura", "Minato", "Hikari", "Kizuna", "Aoba", "Fuji", "Tanaka", "Yamada", "Kita",
              "Nishi", "Higashi", "Minami", "Chuo", "Daiichi", "Shin", "Asahi", "Midori", "Hoshi",
              "Umi", "Kawa", "Matsu", "Take", "Ume", "Tsubasa", "Nagomi"]  # fmt: skip
NAME_TRADE = ["Foods", "Seiki", "Kogyo", "Shoji", "Farm", "Sewing", "Apparel", "Packing",
              "Kensetsu", "Unyu", "Suisan", "Denki", "Plastics", "Metal", "Logistics", "Care"]  # fmt: skip
NAME_FORM = ["K.K.", "Co., Ltd.", "Yugen Kaisha", "Cooperative"]

# Share of cases per language (per mille), the desk's ten languages.
LANGUAGE_SHARES = [("vi", 300), ("zh-hans", 150), ("id", 100), ("tl", 100), ("ne", 80), ("my", 80),
                   ("ja", 50), ("en", 50), ("pt-br", 50), ("es", 40)]  # fmt: skip
OPEN_STATUSES = ["new", "acknowledged", "in_progress", "guiding_support", "expert_consultation",
                 "referred_adr", "referred_public"]  # fmt: skip
CATEGORIES = ["labour_conditions", "wages", "wages", "wages", "contract", "working_hours", "working_hours",
              "harassment", "harassment", "safety_health", "housing", "residence_status",
              "recruitment_debt", "retained_documents", "daily_life", "medical_welfare",
              "tax_social_insurance", "education", "other"]  # fmt: skip


ORGANISATION_SQL = """
    INSERT INTO organizations_organization (name, kind, corporate_number, is_foreign, prefecture, address,
        industry, created_at)
    SELECT (%(first)s::text[])[1 + i %% cardinality(%(first)s::text[])] || ' '
               || (%(trade)s::text[])[1 + (i / cardinality(%(first)s::text[])) %% cardinality(%(trade)s::text[])]
               || ' ' || (%(form)s::text[])[1 + (i * 7) %% cardinality(%(form)s::text[])] || ' ' || i,
           'supply_chain', '', false, lpad((1 + i %% 47)::text, 2, '0'), '', 'E', now()
    FROM generate_series(1, %(organisations)s) AS i"""

# One row a case, with random draws named once in the inner query so the columns agree with each
# other (a closed case was acknowledged, answered and closed after it was opened).
CASE_SQL = """
    INSERT INTO cases_case (public_id, number, intake_key, receipt_lookup, receipt_hash, pin_hash, worker_id,
        language, channel, categories, severity, indicators, status, account, employer_id, employer_named,
        contact_method, contact_detail, alert_id, assignee_id, logged_by_id, created_at, acknowledge_by,
        feedback_by, acknowledged_at, feedback_at, closed_at)
    SELECT gen_random_uuid(),
           -- a permutation of 16^6: unique random-looking numbers, as services._next_number makes
           'K-' || extract(year FROM opened) || '-' || upper(lpad(to_hex((i * 7919 + 104729) %% 16777216), 6, '0')),
           NULL, NULL, '', '', NULL,
           (SELECT code FROM bench_language WHERE bench_language.upto > lang_draw ORDER BY upto LIMIT 1),
           (ARRAY['portal','portal','portal','self_check','phone','phone','social_media','walk_in','email'])
               [1 + floor(random() * 9)::int],
           CASE WHEN random() < 0.7
                THEN jsonb_build_array((%(categories)s::text[])[1 + floor(random() * %(category_count)s)::int])
                ELSE jsonb_build_array((%(categories)s::text[])[1 + floor(random() * %(category_count)s)::int],
                                       (%(categories)s::text[])[1 + floor(random() * %(category_count)s)::int])
           END,
           severity, 0, status, %(account)s,
           CASE WHEN random() < 0.8
                THEN (SELECT min(id) FROM organizations_organization) + floor(%(organisations)s * power(random(), 2))::int
           END,
           '', 'none', '', NULL,
           CASE WHEN status = 'new' AND random() < 0.7 THEN NULL
                ELSE (%(consultants)s::bigint[])[1 + floor(random() * %(consultant_count)s)::int] END,
           NULL, opened,
           opened + CASE severity WHEN 'critical' THEN interval '4 hours' WHEN 'urgent' THEN interval '24 hours'
                                  ELSE interval '7 days' END,
           opened + interval '90 days',
           CASE WHEN status <> 'new' THEN opened + random() * interval '3 days' END,
           CASE WHEN status NOT IN ('new', 'acknowledged') OR random() < 0.3
                THEN opened + interval '3 days' + random() * interval '30 days' END,
           CASE WHEN status = 'closed' THEN opened + interval '40 days' + random() * interval '60 days' END
    FROM (
        SELECT i, opened, lang_draw,
               CASE WHEN sev < 0.03 THEN 'critical' WHEN sev < 0.15 THEN 'urgent' ELSE 'routine' END AS severity,
               -- Recent cases are often still open; old ones almost never.
               CASE WHEN open_draw < CASE WHEN opened > now() - interval '30 days' THEN 0.7
                                          WHEN opened > now() - interval '180 days' THEN 0.1
                                          ELSE 0.02 END
                    THEN (%(open_statuses)s::text[])[1 + floor(random() * %(open_count)s)::int]
                    WHEN random() < 0.2 THEN 'resolved' ELSE 'closed' END AS status
        FROM (SELECT i, now() - random() * interval '1095 days' AS opened, random() * 1000 AS lang_draw,
                     random() AS sev, random() AS open_draw
              FROM generate_series(1, %(cases)s) AS i) AS draws
    ) AS drawn"""


# Draws first (OFFSET 0 keeps them in their subquery, so random() runs once a row), then the join
# to the vocabulary; a word drawn twice for one case is kept once, as index_case does.
TOKEN_SQL = """
    INSERT INTO cases_casesearchtoken (case_id, token)
    SELECT DISTINCT draws.case_id, bench_vocabulary.token
    FROM (SELECT cases_case.id AS case_id, 1 + floor(%(vocabulary)s * power(random(), 2))::int AS rank
          FROM cases_case, generate_series(1, %(tokens_per_case)s) OFFSET 0) AS draws
    JOIN bench_vocabulary ON bench_vocabulary.rank = draws.rank"""


def vocabulary_word(rank: int) -> str:
    return f"word{rank:04d}"


def create_vocabulary_table(cursor: Any) -> None:
    from koe.cases.search import PURPOSE
    from koe.core.crypto import blind_index

    cursor.execute("CREATE TEMPORARY TABLE bench_vocabulary (rank int PRIMARY KEY, token text)")
    rows = [(rank, blind_index(vocabulary_word(rank), PURPOSE)) for rank in range(1, VOCABULARY + 1)]
    cursor.executemany("INSERT INTO bench_vocabulary VALUES (%s, %s)", rows)


def create_language_table(cursor: Any) -> None:
    """Cumulative shares, so one random draw picks a language with the wanted frequency."""
    cursor.execute("CREATE TEMPORARY TABLE bench_language (code text, upto int)")
    total = 0
    for code, share in LANGUAGE_SHARES:
        total += share
        cursor.execute("INSERT INTO bench_language VALUES (%s, %s)", [code, total])


def create_consultants() -> list[Any]:
    from koe.accounts.models import Role, User

    return User.objects.bulk_create(
        User(username=f"consultant{n:02d}", role=Role.CONSULTANT, language="ja",
             spoken_languages=[code for code, _share in LANGUAGE_SHARES[n % 5 : n % 5 + 3]])
        for n in range(CONSULTANTS)
    )  # fmt: skip


@contextmanager
def defaults_for_other_columns(cursor: Any) -> Iterator[None]:
    """Columns the insert does not name (added since it was written: the desk keeps growing) take
    their model default for the load, as a case opened by the ORM would."""
    from django.db import connection

    from koe.cases.models import Case

    named = {column.strip() for column in CASE_SQL.split("(", 1)[1].split(")", 1)[0].split(",")}
    others = [field for field in Case._meta.concrete_fields
              if field.column not in named and not field.null and not field.primary_key]  # fmt: skip
    quote = connection.ops.quote_name
    for field in others:
        default = field.get_db_prep_save(field.get_default(), connection)
        cursor.execute(f"ALTER TABLE cases_case ALTER COLUMN {quote(field.column)} SET DEFAULT %s", [default])
    try:
        yield
    finally:
        for field in others:
            cursor.execute(f"ALTER TABLE cases_case ALTER COLUMN {quote(field.column)} DROP DEFAULT")


def fill(consultant_ids: list[int]) -> None:
    from django.db import connection

    from koe.cases.models import Case
    from koe.core import crypto

    field = Case._meta.get_field("account")
    account = crypto.encrypt_text(
        "My employer keeps my passport and I work twelve hours a day without overtime pay. " * 4,
        field.encryption_context,  # type: ignore[attr-defined]
    )
    parameters = {
        "first": NAME_FIRST, "trade": NAME_TRADE, "form": NAME_FORM, "organisations": ORGANISATIONS,
        "cases": CASES, "account": account, "consultants": consultant_ids, "consultant_count": len(consultant_ids),
        "categories": CATEGORIES, "category_count": len(CATEGORIES),
        "open_statuses": OPEN_STATUSES, "open_count": len(OPEN_STATUSES),
        "vocabulary": VOCABULARY, "tokens_per_case": TOKENS_PER_CASE,
    }  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(ORGANISATION_SQL, parameters)
        create_language_table(cursor)
        with defaults_for_other_columns(cursor):
            cursor.execute(CASE_SQL, parameters)
        create_vocabulary_table(cursor)
        cursor.execute(TOKEN_SQL, parameters)
        cursor.execute("VACUUM ANALYZE")


def open_inbox(user: Any, query: dict[str, str]) -> int:
    """What the inbox view evaluates for ``query`` (its GET parameters), template included: the
    form's staff list, the count, the page of cases with employer and assignee, the totals."""
    from django.core.paginator import Paginator

    from koe.cases import selectors
    from koe.cases.forms import CaseInboxFilterForm

    form = CaseInboxFilterForm(query)  # lists the desk staff for its "Assigned to" choices
    page = Paginator(selectors.case_inbox(user, form.filters()), PAGE_SIZE).get_page(query.get("page"))
    rows = list(page.object_list)
    for case in rows:  # what each row shows; select_related, so no query
        _ = (
            case.employer.name if case.employer else "",
            case.assignee.get_username() if case.assignee else "",
        )
    page.has_other_pages()  # the pager; the count is already known
    selectors.inbox_counts(user)
    return len(rows)


SCENARIOS: dict[str, dict[str, str]] = {
    "inbox": {},
    "inbox_filtered": {"language": "vi", "overdue": "on"},
    "search.number": {"search": "K-2026-3F"},
    "search.employer": {"search": "seiki"},
    "search.words": {"search": f"{vocabulary_word(3)} {vocabulary_word(400)}"},
    "search.words.common": {"search": vocabulary_word(1)},
    "search.number.closed": {"search": "K-2026-3F", "status": "closed"},
    "search.employer.closed": {"search": "seiki", "status": "closed"},
    "search.words.closed": {"search": f"{vocabulary_word(3)} {vocabulary_word(400)}", "status": "closed"},
}


def matches(user: Any, query: dict[str, str]) -> int:
    from koe.cases import selectors
    from koe.cases.forms import CaseInboxFilterForm

    return selectors.case_inbox(user, CaseInboxFilterForm(query).filters()).count()


def bench_desk() -> None:
    from django.utils import translation

    from koe.cases.models import Case, CaseSearchToken

    start = time.perf_counter()
    consultants = create_consultants()
    fill([person.pk for person in consultants])
    report("desk.fill", time.perf_counter() - start, "s")
    report("desk.cases", Case.objects.count(), "cases")
    report("desk.search_tokens", CaseSearchToken.objects.count(), "tokens")
    user = consultants[0]
    with translation.override("ja"):  # a consultant's page language; category names are matched in it
        for name, query in SCENARIOS.items():
            report(f"desk.{name}.matches", matches(user, query), "cases")
            report_timings(name, timed_ms(lambda query=query: open_inbox(user, query)))


def timed_ms(function: Callable[[], object]) -> list[float]:
    return shared_timed_ms(function, RUNS, warm_up=True)


def report_timings(name: str, samples: list[float]) -> None:
    shared_report_timings(f"desk.{name}", samples)


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("desk: skipped (set DATABASE_URL to a PostgreSQL server to run it)", flush=True)
    else:
        original_name = setup_django_on_own_database(BENCH_DATABASE)
        try:
            bench_desk()
        finally:
            from django.db import connection

            if not os.environ.get("KOE_BENCH_KEEP_DATABASE"):
                connection.creation.destroy_test_db(original_name, verbosity=0)
