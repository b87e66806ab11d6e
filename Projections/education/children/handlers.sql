-- A person appears at most once per round, so each parent's children are met by one event.
-- Personal fields arrive in plain text (reveal), or as null for a person already erased.

-- A registration states the household: children no longer in it (at their place) go.
DELETE FROM {{schema}}.children c
USING batch b
WHERE b.type = 'onewindow.resident.registered.v1'
  AND c.person_id = b.person_id
  AND NOT EXISTS (
      SELECT 1
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(b.data -> 'household') = 'array' THEN b.data -> 'household' ELSE '[]'::jsonb END)
           WITH ORDINALITY AS h(member, n)
      WHERE h.n = c.child_no
        AND h.member ->> 'relation' = 'child');

-- The children of the registration, upserted at their place (a re-registration does not
-- duplicate them). The same child (same identity number, or else same birth date and name)
-- keeps its enrollment, another child at that place starts at none.
INSERT INTO {{schema}}.children AS c
    (person_id, child_no, child_name, identity_number, child_person_id, birth_date, enrollment, request_id, enrolled_on)
SELECT k.person_id, k.child_no, k.child_name, k.identity_number, k.child_person_id, k.birth_date,
       CASE WHEN k.same THEN k.old_enrollment ELSE 'none' END,
       CASE WHEN k.same THEN k.old_request_id END,
       CASE WHEN k.same THEN k.old_enrolled_on END
FROM (
    SELECT b.person_id,
           h.n::integer AS child_no,
           CASE WHEN x.person_id IS NULL THEN h.member ->> 'name' END AS child_name,
           CASE WHEN x.person_id IS NULL THEN h.member #>> '{identity,number}' END AS identity_number,
           (h.member ->> 'personid')::uuid AS child_person_id,
           (h.member ->> 'birthDate')::date AS birth_date,
           CASE WHEN p.identity_number IS NOT NULL AND h.member #>> '{identity,number}' IS NOT NULL
                THEN p.identity_number = h.member #>> '{identity,number}'
                ELSE p.birth_date = (h.member ->> 'birthDate')::date
                     AND (p.child_name IS NULL OR h.member ->> 'name' IS NULL OR p.child_name = h.member ->> 'name')
           END AS same,
           p.enrollment AS old_enrollment,
           p.request_id AS old_request_id,
           p.enrolled_on AS old_enrolled_on
    FROM batch b
    CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(b.data -> 'household') = 'array' THEN b.data -> 'household' ELSE '[]'::jsonb END)
         WITH ORDINALITY AS h(member, n)
    LEFT JOIN {{schema}}.children p ON p.person_id = b.person_id AND p.child_no = h.n
    LEFT JOIN {{schema}}.erased_people x ON x.person_id = (h.member ->> 'personid')::uuid
    WHERE b.type = 'onewindow.resident.registered.v1'
      AND b.person_id IS NOT NULL
      AND h.member ->> 'relation' = 'child'
) k
ON CONFLICT (person_id, child_no) DO UPDATE SET
    child_name      = EXCLUDED.child_name,
    identity_number = EXCLUDED.identity_number,
    child_person_id = EXCLUDED.child_person_id,
    birth_date      = EXCLUDED.birth_date,
    enrollment      = EXCLUDED.enrollment,
    request_id      = EXCLUDED.request_id,
    enrolled_on     = EXCLUDED.enrolled_on;

-- Requests that came before a registration listing their child apply now (the latest one per
-- child), by the same match as below; every pending request that found its child is done.
WITH matches AS (
    SELECT q.person_id, q.request_id, q.position, c.child_no
    FROM batch b
    JOIN {{schema}}.pending_requests q ON q.person_id = b.person_id
    JOIN {{schema}}.children c ON c.person_id = q.person_id
    WHERE b.type = 'onewindow.resident.registered.v1'
      AND CASE
              WHEN q.by_name IS NOT NULL THEN c.child_name = q.by_name
              WHEN q.by_number IS NOT NULL OR q.by_person IS NOT NULL
                  THEN c.identity_number = q.by_number OR c.child_person_id = q.by_person
              ELSE (SELECT count(*) FROM {{schema}}.children o WHERE o.person_id = q.person_id) = 1
          END
), latest AS (
    SELECT DISTINCT ON (person_id, child_no) person_id, child_no, request_id
    FROM matches
    ORDER BY person_id, child_no, position DESC
), applied AS (
    UPDATE {{schema}}.children c
    SET enrollment  = CASE WHEN c.enrollment = 'enrolled' AND c.request_id = l.request_id THEN 'enrolled' ELSE 'requested' END,
        enrolled_on = CASE WHEN c.enrollment = 'enrolled' AND c.request_id = l.request_id THEN c.enrolled_on END,
        request_id  = l.request_id
    FROM latest l
    WHERE c.person_id = l.person_id AND c.child_no = l.child_no
)
DELETE FROM {{schema}}.pending_requests q
USING matches m
WHERE q.person_id = m.person_id AND q.request_id = m.request_id;

-- A school-enrollment request marks the child it names: by name (a string beneficiary), by
-- identity (an identity beneficiary: its number, or the child's person id when the child is
-- a person of their own, which still matches after the child's erasure), or, naming no one,
-- the parent's only child.
-- The request's id is kept for its delivery. A repeated request of an enrolled child's
-- own request does not undo the enrollment. A request that marks no child waits in
-- pending_requests for a registration that lists its child.
WITH r AS (
    SELECT b.person_id,
           b.position,
           b.data ->> 'requestId' AS request_id,
           CASE WHEN jsonb_typeof(b.data -> 'beneficiary') = 'string' THEN b.data ->> 'beneficiary' END AS by_name,
           CASE WHEN jsonb_typeof(b.data -> 'beneficiary') = 'object' AND x.person_id IS NULL THEN b.data #>> '{beneficiary,number}' END AS by_number,
           CASE WHEN jsonb_typeof(b.data -> 'beneficiary') = 'object' THEN (b.data #>> '{beneficiary,personid}')::uuid END AS by_person
    FROM batch b
    LEFT JOIN {{schema}}.erased_people x ON x.person_id = (b.data #>> '{beneficiary,personid}')::uuid
    WHERE b.type = 'onewindow.service.requested.v1'
      AND b.data ->> 'category' = 'education'
      AND b.data ->> 'service' = 'school-enrollment'
      AND b.person_id IS NOT NULL
), marked AS (
    UPDATE {{schema}}.children c
    SET enrollment  = CASE WHEN c.enrollment = 'enrolled' AND c.request_id = r.request_id THEN 'enrolled' ELSE 'requested' END,
        enrolled_on = CASE WHEN c.enrollment = 'enrolled' AND c.request_id = r.request_id THEN c.enrolled_on END,
        request_id  = r.request_id
    FROM r
    WHERE c.person_id = r.person_id
      AND CASE
              WHEN r.by_name IS NOT NULL THEN c.child_name = r.by_name
              WHEN r.by_number IS NOT NULL OR r.by_person IS NOT NULL
                  THEN c.identity_number = r.by_number OR c.child_person_id = r.by_person
              ELSE (SELECT count(*) FROM {{schema}}.children o WHERE o.person_id = r.person_id) = 1
          END
    RETURNING r.person_id
)
INSERT INTO {{schema}}.pending_requests AS p (person_id, request_id, position, by_name, by_number, by_person)
SELECT r.person_id, r.request_id, r.position, r.by_name, r.by_number, r.by_person
FROM r
WHERE r.request_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM marked m WHERE m.person_id = r.person_id)
ON CONFLICT (person_id, request_id) DO UPDATE SET
    position  = EXCLUDED.position,
    by_name   = EXCLUDED.by_name,
    by_number = EXCLUDED.by_number,
    by_person = EXCLUDED.by_person;

-- A school-enrollment delivery enrolls the child whose request it names, or, when no child
-- holds that request (or none is named), the parent's only child.
UPDATE {{schema}}.children c
SET enrollment  = 'enrolled',
    enrolled_on = (b.data ->> 'deliveredOn')::date,
    request_id  = coalesce(b.data ->> 'requestId', c.request_id)
FROM batch b
WHERE b.type = 'onewindow.service.delivered.v1'
  AND b.data ->> 'service' = 'school-enrollment'
  AND c.person_id = b.person_id
  AND (c.request_id = b.data ->> 'requestId'
       OR (NOT EXISTS (SELECT 1 FROM {{schema}}.children o
                       WHERE o.person_id = b.person_id AND o.request_id = b.data ->> 'requestId')
           AND (SELECT count(*) FROM {{schema}}.children o WHERE o.person_id = b.person_id) = 1));

-- Erasure: the parent's waiting requests go (they may name a child); a request naming the
-- erased person as a child by identity keeps waiting, matched by their person id alone.
DELETE FROM {{schema}}.pending_requests q
USING batch b
WHERE b.type = 'onewindow.person.erased.v1'
  AND q.person_id = b.person_id;

UPDATE {{schema}}.pending_requests q
SET by_number = NULL
FROM batch b
WHERE b.type = 'onewindow.person.erased.v1'
  AND q.by_person = b.person_id;

-- Erasure: remembered by id, for a registration or request naming the person that is
-- consumed later (it comes on the naming parent's partition, in any order with this one).
INSERT INTO {{schema}}.erased_people (person_id)
SELECT DISTINCT b.person_id
FROM batch b
WHERE b.type = 'onewindow.person.erased.v1'
  AND b.person_id IS NOT NULL
ON CONFLICT DO NOTHING;

-- Erasure: the parent's children keep their place and enrollment, without name or identity;
-- so does an erased child in their parents' households.
UPDATE {{schema}}.children c
SET child_name      = NULL,
    identity_number = NULL
FROM batch b
WHERE b.type = 'onewindow.person.erased.v1'
  AND (c.person_id = b.person_id OR c.child_person_id = b.person_id);
