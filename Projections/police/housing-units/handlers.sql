-- A person appears at most once per round, but many people may leave or enter one unit in
-- the same round: the counts are grouped by unit before they are written.

-- The housing registry: a unit's region and grid (overwriting what residences said).
INSERT INTO {{schema}}.units AS u (housing_unit_id, region, grid_id, capacity, registered)
SELECT coalesce(b.data ->> 'housingUnitId', b.subject),
       b.data ->> 'region',
       b.data ->> 'gridId',
       (b.data ->> 'capacity')::integer,
       true
FROM batch b
WHERE b.type = 'onewindow.housing.unit-registered.v1'
ON CONFLICT (housing_unit_id) DO UPDATE SET
    region     = EXCLUDED.region,
    grid_id    = EXCLUDED.grid_id,
    capacity   = EXCLUDED.capacity,
    registered = true;

-- Leaving the old unit: a registration, a move or a departure of a person who lives in one.
UPDATE {{schema}}.units u
SET occupants = u.occupants - l.leaving
FROM (
    SELECT p.housing_unit_id, count(*) AS leaving
    FROM batch b
    JOIN {{schema}}.people p ON p.person_id = b.person_id
    WHERE b.type IN ('onewindow.resident.registered.v1', 'onewindow.resident.moved.v1', 'onewindow.resident.departed.v1')
      AND p.housing_unit_id IS NOT NULL
    GROUP BY p.housing_unit_id
) l
WHERE u.housing_unit_id = l.housing_unit_id;

-- The person's new unit. A move or a departure of a person never registered (or already
-- departed) changes nothing.
INSERT INTO {{schema}}.people AS p (person_id, resident, housing_unit_id)
SELECT b.person_id,
       b.type <> 'onewindow.resident.departed.v1',
       CASE WHEN b.type <> 'onewindow.resident.departed.v1' THEN b.data #>> '{residence,housingUnitId}' END
FROM batch b
WHERE b.person_id IS NOT NULL
  AND (b.type = 'onewindow.resident.registered.v1'
       OR (b.type IN ('onewindow.resident.moved.v1', 'onewindow.resident.departed.v1')
           AND EXISTS (SELECT 1 FROM {{schema}}.people o WHERE o.person_id = b.person_id AND o.resident)))
ON CONFLICT (person_id) DO UPDATE SET
    resident        = EXCLUDED.resident,
    housing_unit_id = EXCLUDED.housing_unit_id;

-- Entering the new unit: counted per unit. A unit not registered yet takes the region and
-- grid of the latest residence (by store position) that named it. Residents of one unit live
-- on different partitions, so "the first one consumed" would differ between a live version
-- and its rebuild; the latest by position is the same however the partitions interleave.
INSERT INTO {{schema}}.units AS u (housing_unit_id, region, grid_id, occupants, named_at)
SELECT p.housing_unit_id,
       (array_agg(b.data #>> '{residence,region}' ORDER BY b.position DESC NULLS LAST, b.seq DESC))[1],
       (array_agg(b.data #>> '{residence,gridId}' ORDER BY b.position DESC NULLS LAST, b.seq DESC))[1],
       count(*),
       max(b.position)
FROM batch b
JOIN {{schema}}.people p ON p.person_id = b.person_id
WHERE b.type IN ('onewindow.resident.registered.v1', 'onewindow.resident.moved.v1')
  AND p.resident
  AND p.housing_unit_id IS NOT NULL
  AND p.housing_unit_id = b.data #>> '{residence,housingUnitId}'
GROUP BY p.housing_unit_id
ON CONFLICT (housing_unit_id) DO UPDATE SET
    occupants = u.occupants + EXCLUDED.occupants,
    region    = CASE WHEN u.registered OR coalesce(u.named_at, -1) > coalesce(EXCLUDED.named_at, -1)
                     THEN u.region ELSE EXCLUDED.region END,
    grid_id   = CASE WHEN u.registered OR coalesce(u.named_at, -1) > coalesce(EXCLUDED.named_at, -1)
                     THEN u.grid_id ELSE EXCLUDED.grid_id END,
    named_at  = greatest(u.named_at, EXCLUDED.named_at);
