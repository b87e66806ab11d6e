SELECT o.organization                AS "organization",
       o.opened                      AS "opened",
       coalesce(r.resolved, 0)       AS "resolved",
       coalesce(r.on_time, 0)        AS "resolvedOnTime",
       coalesce(d.overdue, 0)        AS "overdue",
       r.median_hours                AS "medianResolutionHours"
FROM (
    SELECT organization, count(*) AS opened
    FROM {{schema}}.case_organizations
    GROUP BY organization
) o
LEFT JOIN (
    SELECT resolved_org AS organization,
           count(*) AS resolved,
           count(*) FILTER (WHERE resolved_at <= resolved_due_at) AS on_time,
           round(percentile_cont(0.5) WITHIN GROUP (
               ORDER BY extract(epoch FROM resolved_at - resolved_from) / 3600
           )::numeric, 1) AS median_hours
    FROM {{schema}}.cases
    WHERE resolved_org IS NOT NULL
    GROUP BY resolved_org
) r ON r.organization = o.organization
LEFT JOIN (
    SELECT assignee AS organization, count(*) AS overdue
    FROM {{schema}}.cases
    WHERE state = 'open' AND assignee IS NOT NULL AND due_at < now()
    GROUP BY assignee
) d ON d.organization = o.organization
