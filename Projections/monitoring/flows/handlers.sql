-- A person appears at most once per round, but many people land in the same cell: the
-- counters statement groups by cell before it upserts. It runs first, against the persons'
-- state before this round; the persons statements after it move that state on.
--
-- What an event means for the person's state before it:
--   registered, not resident (unknown or departed): an arrival at the new residence in the month of arrivedOn
--   registered, already resident: a move (old origin and residence out, new ones in) in the month of arrivedOn
--   moved, resident: a move in the month of movedOn (unknown or departed: nothing)
--   departed, resident: a departure from the last residence in the month of departedOn (otherwise nothing)
-- Each side counts at every level both regions have (origin: province, city, county, and
-- residence: county, township); a move that stays in a cell changes nothing there.
WITH e AS (
    SELECT b.person_id,
           date_trunc('month', (CASE b.type
               WHEN 'onewindow.resident.registered.v1' THEN b.data->>'arrivedOn'
               WHEN 'onewindow.resident.moved.v1'      THEN b.data->>'movedOn'
               ELSE b.data->>'departedOn'
           END)::date::timestamp)::date AS month,
           CASE
               WHEN b.type = 'onewindow.resident.registered.v1' AND p.resident IS NOT TRUE THEN 'arrival'
               WHEN b.type = 'onewindow.resident.registered.v1' THEN 'move'
               WHEN b.type = 'onewindow.resident.moved.v1' AND p.resident THEN 'move'
               WHEN b.type = 'onewindow.resident.departed.v1' AND p.resident THEN 'departure'
           END AS act,
           p.origin_region AS from_origin,
           p.residence_region AS from_residence,
           CASE WHEN b.type = 'onewindow.resident.registered.v1' THEN b.data->>'originRegion' ELSE p.origin_region END AS to_origin,
           b.data#>>'{residence,region}' AS to_residence
    FROM batch b
    LEFT JOIN {{schema}}.persons p ON p.person_id = b.person_id
    WHERE b.type = 'onewindow.resident.departed.v1'
       OR (b.type = 'onewindow.resident.moved.v1' AND b.data#>>'{residence,region}' ~ '^[0-9]{12}$')
       OR (b.type = 'onewindow.resident.registered.v1' AND b.data#>>'{residence,region}' ~ '^[0-9]{12}$'
           AND b.data->>'originRegion' ~ '^[0-9]{12}$')
),
sides AS (
    SELECT person_id, month, to_origin AS origin, to_residence AS residence,
           (act = 'arrival')::int AS arrivals, 0 AS departures, (act = 'move')::int AS moves
    FROM e
    WHERE act IN ('arrival', 'move')
    UNION ALL
    SELECT person_id, month, from_origin, from_residence,
           0, (act = 'departure')::int, -((act = 'move')::int)
    FROM e
    WHERE act IN ('departure', 'move')
),
per_person AS (
    SELECT s.person_id, ol.code AS origin_region, ol.level AS origin_level,
           rl.code AS residence_region, rl.level AS residence_level, s.month,
           sum(s.arrivals) AS arrivals, sum(s.departures) AS departures, sum(s.moves) AS moves
    FROM sides s
    CROSS JOIN LATERAL (VALUES
        ('province', left(s.origin, 2) || '0000000000', substr(s.origin, 1, 2) <> '00'),
        ('city',     left(s.origin, 4) || '00000000',   substr(s.origin, 1, 2) <> '00' AND substr(s.origin, 3, 2) <> '00'),
        ('county',   left(s.origin, 6) || '000000',     substr(s.origin, 1, 2) <> '00' AND substr(s.origin, 3, 2) <> '00' AND substr(s.origin, 5, 2) <> '00')
    ) AS ol(level, code, present)
    CROSS JOIN LATERAL (VALUES
        ('county',   left(s.residence, 6) || '000000',  substr(s.residence, 3, 2) <> '00' AND substr(s.residence, 5, 2) <> '00'),
        ('township', left(s.residence, 9) || '000',     substr(s.residence, 3, 2) <> '00' AND substr(s.residence, 5, 2) <> '00' AND substr(s.residence, 7, 3) <> '000')
    ) AS rl(level, code, present)
    WHERE ol.present AND rl.present
    GROUP BY s.person_id, ol.code, ol.level, rl.code, rl.level, s.month
    HAVING sum(s.arrivals) <> 0 OR sum(s.departures) <> 0 OR sum(s.moves) <> 0
)
INSERT INTO {{schema}}.counters AS c (origin_region, origin_level, residence_region, residence_level, month,
                                      arrivals, departures, moves_in, moves_out)
SELECT origin_region, origin_level, residence_region, residence_level, month,
       sum(arrivals), sum(departures), sum(greatest(moves, 0)), sum(greatest(-moves, 0))
FROM per_person
GROUP BY origin_region, origin_level, residence_region, residence_level, month
ON CONFLICT (origin_region, residence_region, month) DO UPDATE
SET arrivals   = c.arrivals   + excluded.arrivals,
    departures = c.departures + excluded.departures,
    moves_in   = c.moves_in   + excluded.moves_in,
    moves_out  = c.moves_out  + excluded.moves_out;

-- registered: resident at the new residence, with the (possibly corrected) origin.
INSERT INTO {{schema}}.persons (person_id, origin_region, residence_region, resident)
SELECT b.person_id, b.data->>'originRegion', b.data#>>'{residence,region}', true
FROM batch b
WHERE b.type = 'onewindow.resident.registered.v1'
  AND b.data#>>'{residence,region}' ~ '^[0-9]{12}$'
  AND b.data->>'originRegion' ~ '^[0-9]{12}$'
ON CONFLICT (person_id) DO UPDATE
SET origin_region = excluded.origin_region,
    residence_region = excluded.residence_region,
    resident = true;

-- moved: a resident's new residence (an unknown or departed person: nothing).
UPDATE {{schema}}.persons p
SET residence_region = b.data#>>'{residence,region}'
FROM batch b
WHERE b.type = 'onewindow.resident.moved.v1'
  AND p.person_id = b.person_id
  AND p.resident
  AND b.data#>>'{residence,region}' ~ '^[0-9]{12}$';

-- departed: no longer resident (an unknown or departed person: nothing).
UPDATE {{schema}}.persons p
SET resident = false
FROM batch b
WHERE b.type = 'onewindow.resident.departed.v1'
  AND p.person_id = b.person_id
  AND p.resident;
