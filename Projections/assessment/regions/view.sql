SELECT c.origin_region               AS "originRegion",
       count(*)                      AS "requests",
       count(c.first_resolved_at)    AS "answered",
       round(percentile_cont(0.5) WITHIN GROUP (
           ORDER BY extract(epoch FROM c.first_resolved_at - c.opened_at) / 3600
       )::numeric, 1)                AS "medianResponseHours"
FROM {{schema}}.cases c
GROUP BY c.origin_region
