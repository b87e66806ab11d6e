SELECT s.person_id    AS "personId",
       s.request_id   AS "requestId",
       s.category     AS "category",
       s.service      AS "service",
       s.status       AS "status",
       s.region       AS "region",
       s.requested_at AS "requestedAt",
       s.delivered_on AS "deliveredOn",
       s.provider     AS "provider"
FROM {{schema}}.services s
