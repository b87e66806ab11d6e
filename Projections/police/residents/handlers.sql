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

-- ... and shown on the resident's row when there is one.
UPDATE {{schema}}.residents r
SET permit_status = p.status
FROM batch b
JOIN {{schema}}.permits p ON p.person_id = b.person_id
WHERE r.person_id = b.person_id
  AND b.type IN ('onewindow.permit.applied.v1', 'onewindow.permit.issued.v1', 'onewindow.permit.rejected.v1');

-- Registration (also a re-registration after departure): resident again, at this residence.
INSERT INTO {{schema}}.residents AS r
    (person_id, status, region, grid_id, housing_unit_id, arrived_on, departed_on, permit_status)
SELECT b.person_id,
       'resident',
       b.data #>> '{residence,region}',
       b.data #>> '{residence,gridId}',
       b.data #>> '{residence,housingUnitId}',
       (b.data ->> 'arrivedOn')::date,
       NULL,
       coalesce(p.status, 'none')
FROM batch b
LEFT JOIN {{schema}}.permits p ON p.person_id = b.person_id
WHERE b.type = 'onewindow.resident.registered.v1'
  AND b.person_id IS NOT NULL
ON CONFLICT (person_id) DO UPDATE SET
    status          = EXCLUDED.status,
    region          = EXCLUDED.region,
    grid_id         = EXCLUDED.grid_id,
    housing_unit_id = EXCLUDED.housing_unit_id,
    arrived_on      = EXCLUDED.arrived_on,
    departed_on     = NULL,
    permit_status   = EXCLUDED.permit_status;

-- A move changes the residence of a current resident (nothing for an unknown or departed person).
UPDATE {{schema}}.residents r
SET region          = b.data #>> '{residence,region}',
    grid_id         = b.data #>> '{residence,gridId}',
    housing_unit_id = b.data #>> '{residence,housingUnitId}'
FROM batch b
WHERE b.type = 'onewindow.resident.moved.v1'
  AND r.person_id = b.person_id
  AND r.status = 'resident';

-- Departure: the row stays, with the last residence and the departure date.
UPDATE {{schema}}.residents r
SET status      = 'departed',
    departed_on = (b.data ->> 'departedOn')::date
FROM batch b
WHERE b.type = 'onewindow.resident.departed.v1'
  AND r.person_id = b.person_id;
