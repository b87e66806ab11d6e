-- A person appears at most once per round, so each (person, request) row is met once.

-- A request. If its delivery came first, the row stays resolved and gains the request's time.
INSERT INTO {{schema}}.wage_arrears AS w (person_id, request_id, status, region, requested_at)
SELECT b.person_id, b.data ->> 'requestId', 'open', b.region, b.time
FROM batch b
WHERE b.type = 'onewindow.service.requested.v1'
  AND b.data ->> 'service' = 'wage-arrears'
  AND b.person_id IS NOT NULL
  AND b.data ->> 'requestId' IS NOT NULL
ON CONFLICT (person_id, request_id) DO UPDATE SET
    region       = coalesce(EXCLUDED.region, w.region),
    requested_at = EXCLUDED.requested_at;

-- A delivery resolves the request it names; with no request named, the person's one open
-- wage-arrears request (when there is exactly one), else it is a row of its own.
INSERT INTO {{schema}}.wage_arrears AS w (person_id, request_id, status, region, resolved_on, provider)
SELECT b.person_id,
       coalesce(b.data ->> 'requestId',
                (SELECT min(o.request_id)
                 FROM {{schema}}.wage_arrears o
                 WHERE o.person_id = b.person_id
                   AND o.status = 'open'
                 HAVING count(*) = 1),
                b.event_id),
       'resolved',
       b.region,
       (b.data ->> 'deliveredOn')::date,
       b.data ->> 'provider'
FROM batch b
WHERE b.type = 'onewindow.service.delivered.v1'
  AND b.data ->> 'service' = 'wage-arrears'
  AND b.person_id IS NOT NULL
ON CONFLICT (person_id, request_id) DO UPDATE SET
    status      = 'resolved',
    resolved_on = EXCLUDED.resolved_on,
    provider    = EXCLUDED.provider;
