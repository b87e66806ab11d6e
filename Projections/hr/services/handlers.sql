-- A person appears at most once per round, so each (person, request) row is met once.

-- A request. If its delivery came first, the row stays delivered and gains the request's time.
INSERT INTO {{schema}}.services AS s (person_id, request_id, category, service, status, region, requested_at)
SELECT b.person_id, b.data ->> 'requestId', b.data ->> 'category', b.data ->> 'service', 'requested', b.region, b.time
FROM batch b
WHERE b.type = 'onewindow.service.requested.v1'
  AND b.data ->> 'category' IN ('employment', 'social-security')
  AND b.data ->> 'service' IS DISTINCT FROM 'wage-arrears'
  AND b.person_id IS NOT NULL
  AND b.data ->> 'requestId' IS NOT NULL
ON CONFLICT (person_id, request_id) DO UPDATE SET
    category     = EXCLUDED.category,
    service      = EXCLUDED.service,
    region       = coalesce(EXCLUDED.region, s.region),
    requested_at = EXCLUDED.requested_at;

-- A delivery: of the request it names; with no request named, of the person's one open
-- request of the same service (when there is exactly one), else a row of its own.
INSERT INTO {{schema}}.services AS s (person_id, request_id, category, service, status, region, delivered_on, provider)
SELECT b.person_id,
       coalesce(b.data ->> 'requestId',
                (SELECT min(o.request_id)
                 FROM {{schema}}.services o
                 WHERE o.person_id = b.person_id
                   AND o.status = 'requested'
                   AND o.category = b.data ->> 'category'
                   AND o.service = b.data ->> 'service'
                 HAVING count(*) = 1),
                b.event_id),
       b.data ->> 'category',
       b.data ->> 'service',
       'delivered',
       b.region,
       (b.data ->> 'deliveredOn')::date,
       b.data ->> 'provider'
FROM batch b
WHERE b.type = 'onewindow.service.delivered.v1'
  AND b.data ->> 'category' IN ('employment', 'social-security')
  AND b.data ->> 'service' IS DISTINCT FROM 'wage-arrears'
  AND b.person_id IS NOT NULL
ON CONFLICT (person_id, request_id) DO UPDATE SET
    status       = 'delivered',
    delivered_on = EXCLUDED.delivered_on,
    provider     = EXCLUDED.provider;
