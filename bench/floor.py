"""The database's own floor for the report totals: one hand-written SQL query.

Per jobcenter, in one GROUP BY with conditional counts: assigned, entrants and the six
outcome classes of METRICS.md (checked in its order; "integrated" through EXISTS on the
counting integrations within the window W = exit + 183 days). This is only the
population and outcome part of what the report engine computes (the engine also counts
attendance, applications, follow-ups, reasons, medians and every breakdown): it is the
floor the issue asks for, not an equivalent of the engine's work.
"""

from datetime import date

from django.db import connection

from cohorts.models import Cohort, Programme
from employers.models import Integration
from jobcenters.models import Site
from participants.models import Enrolment
from reports.metrics import AFTER_EXIT_WINDOW, OUTCOME_CLASSES

FIELDS = ("assigned", "entrants", *OUTCOME_CLASSES)

_SQL = """
WITH e AS (
    SELECT en.jobcenter_id{key}, en.assigned_on, en.exit_reason,
           (en.joined_on IS NOT NULL AND en.joined_on <= %(d)s) AS entrant,
           (en.exit_on IS NOT NULL AND en.exit_on <= %(d)s) AS exited,
           EXISTS (
               SELECT 1 FROM {integration} i
               WHERE i.enrolment_id = en.id
                 AND i.kind = ANY(%(kinds)s)
                 AND i.start_on >= en.joined_on
                 AND i.start_on <= %(d)s
                 AND (en.exit_on IS NULL OR en.exit_on > %(d)s
                      OR i.start_on - en.exit_on <= %(window)s)
           ) AS integrated
    FROM {enrolment} en
    {joins}
    {where}
)
SELECT jobcenter_id{group_key},
    COUNT(*) FILTER (WHERE assigned_on IS NOT NULL AND assigned_on <= %(d)s) AS assigned,
    COUNT(*) FILTER (WHERE entrant) AS entrants,
    COUNT(*) FILTER (WHERE entrant AND integrated) AS integrated,
    COUNT(*) FILTER (WHERE entrant AND NOT integrated AND exited
                     AND exit_reason = 'dropout') AS dropped_out,
    COUNT(*) FILTER (WHERE entrant AND NOT integrated AND exited
                     AND exit_reason = 'transfer') AS transferred,
    COUNT(*) FILTER (WHERE entrant AND NOT integrated AND exited
                     AND exit_reason IN ('completed', 'job')) AS completed,
    COUNT(*) FILTER (WHERE entrant AND NOT integrated AND exited
                     AND exit_reason = 'other') AS other_exit,
    COUNT(*) FILTER (WHERE entrant AND NOT integrated AND NOT (
        exited AND exit_reason IN ('dropout', 'transfer', 'completed', 'job', 'other')
    )) AS active
FROM e
GROUP BY jobcenter_id{group_key}
"""

# A breakdown the floor can express: a column every counted row of an enrolment shares.
# (Quarters cannot be: an enrolment is assigned and joins in different quarters.)
BREAKDOWNS = {
    "cohort": ("c.code", "JOIN {cohort} c ON c.id = en.cohort_id"),
    "site": ("s.name", "JOIN {cohort} c ON c.id = en.cohort_id JOIN {site} s ON s.id = c.site_id"),
    "programme": ("p.name", "JOIN {cohort} c ON c.id = en.cohort_id "
                            "JOIN {programme} p ON p.id = c.programme_id"),
}


def sql_totals(as_of: date, jobcenter_ids: list[int] | None = None,
               by: str | None = None) -> dict:
    """{jobcenter_id: {field: count}} from one query (PostgreSQL: FILTER, ANY); with `by`
    (a key of BREAKDOWNS), {(jobcenter_id, key): {field: count}}."""
    where = "WHERE en.jobcenter_id = ANY(%(ids)s)" if jobcenter_ids is not None else ""
    column, joins = BREAKDOWNS[by] if by else ("", "")
    sql = _SQL.format(
        integration=Integration._meta.db_table, enrolment=Enrolment._meta.db_table,
        where=where, key=f", {column} AS key" if by else "", group_key=", key" if by else "",
        joins=joins.format(cohort=Cohort._meta.db_table, site=Site._meta.db_table,
                           programme=Programme._meta.db_table))
    params = {"d": as_of, "kinds": list(Integration.COUNTING_KINDS),
              "window": AFTER_EXIT_WINDOW.days, "ids": jobcenter_ids}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
    if by:
        return {(row[0], row[1]): dict(zip(columns[2:], row[2:], strict=True)) for row in rows}
    return {row[0]: dict(zip(columns[1:], row[1:], strict=True)) for row in rows}


def engine_totals(counters: dict) -> dict:
    """The same fields from the engine's counters (a snapshot's)."""
    from reports.rollup import report

    totals = report(counters)["totals"]
    return {name: totals[name] for name in FIELDS}


def engine_groups(counters: dict, by: str) -> dict:
    """The same fields per key of a breakdown, as the dashboard's tables show them."""
    from reports.rollup import report

    return {row["key"]: {name: row[name] for name in FIELDS}
            for row in report(counters)["groups"][by]}
