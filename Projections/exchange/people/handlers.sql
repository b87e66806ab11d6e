-- Each person appears at most once per round, so every statement meets a row once.

-- Permit events: remembered for everyone (a registration may come later).
INSERT INTO {{schema}}.permits AS p (person_id, status)
SELECT b.person_id,
       CASE b.type
           WHEN 'onewindow.permit.applied.v1' THEN 'applied'
           WHEN 'onewindow.permit.issued.v1' THEN 'issued'
           ELSE 'rejected'
       END
FROM batch b
WHERE b.type IN ('onewindow.permit.applied.v1', 'onewindow.permit.issued.v1', 'onewindow.permit.rejected.v1')
  AND b.person_id IS NOT NULL
ON CONFLICT (person_id) DO UPDATE SET status = EXCLUDED.status;

-- ... and shown on the person's row when there is one.
UPDATE {{schema}}.people r
SET permit_status = p.status
FROM batch b
JOIN {{schema}}.permits p ON p.person_id = b.person_id
WHERE r.person_id = b.person_id
  AND b.type IN ('onewindow.permit.applied.v1', 'onewindow.permit.issued.v1', 'onewindow.permit.rejected.v1');

-- Registration (also a re-registration after departure): resident again.
INSERT INTO {{schema}}.people AS r
    (person_id, origin_region, origin_county, status, residence_county, arrived_on, departed_on, permit_status)
SELECT b.person_id,
       b.data ->> 'originRegion',
       rpad(left(b.data ->> 'originRegion', 6), 12, '0'),
       'resident',
       rpad(left(b.data #>> '{residence,region}', 6), 12, '0'),
       (b.data ->> 'arrivedOn')::date,
       NULL,
       coalesce(p.status, 'none')
FROM batch b
LEFT JOIN {{schema}}.permits p ON p.person_id = b.person_id
WHERE b.type = 'onewindow.resident.registered.v1'
  AND b.person_id IS NOT NULL
ON CONFLICT (person_id) DO UPDATE SET
    origin_region    = EXCLUDED.origin_region,
    origin_county    = EXCLUDED.origin_county,
    status           = EXCLUDED.status,
    residence_county = EXCLUDED.residence_county,
    arrived_on       = EXCLUDED.arrived_on,
    departed_on      = NULL,
    permit_status    = EXCLUDED.permit_status;

-- A move changes the county of a current resident (nothing for an unknown or departed person).
UPDATE {{schema}}.people r
SET residence_county = rpad(left(b.data #>> '{residence,region}', 6), 12, '0')
FROM batch b
WHERE b.type = 'onewindow.resident.moved.v1'
  AND r.person_id = b.person_id
  AND r.status = 'resident';

-- Departure: the row stays, with the last county and the departure date.
UPDATE {{schema}}.people r
SET status      = 'departed',
    departed_on = (b.data ->> 'departedOn')::date
FROM batch b
WHERE b.type = 'onewindow.resident.departed.v1'
  AND r.person_id = b.person_id;
