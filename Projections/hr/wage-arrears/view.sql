SELECT w.person_id    AS "personId",
       w.request_id   AS "requestId",
       w.requested_at AS "requestedAt",
       w.status       AS "status",
       w.resolved_on  AS "resolvedOn",
       w.provider     AS "provider",
       w.region       AS "region"
FROM {{schema}}.wage_arrears w
