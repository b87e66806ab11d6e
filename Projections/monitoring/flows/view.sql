SELECT c.origin_region     AS "originRegion",
       c.residence_region  AS "residenceRegion",
       c.month             AS "month",
       CASE WHEN c.arrivals >= 5 THEN c.arrivals::bigint END     AS "arrivals",
       CASE WHEN c.departures >= 5 THEN c.departures::bigint END AS "departures",
       CASE WHEN c.residents >= 5 THEN c.residents::bigint END   AS "residents",
       c.origin_level      AS "originLevel",
       c.residence_level   AS "residenceLevel"
FROM (
    SELECT origin_region, origin_level, residence_region, residence_level, month, arrivals, departures,
           sum(arrivals + moves_in - departures - moves_out) OVER (
               PARTITION BY origin_region, origin_level, residence_region, residence_level
               ORDER BY month
           ) AS residents
    FROM {{schema}}.counters
) c
