-- A person appears at most once per round, so each (person, certificate) row is met once.

-- A check: its result and time, and no re-issue after it yet.
INSERT INTO {{schema}}.certificates AS c (person_id, certificate, result, checked_at, reissued)
SELECT b.person_id, b.data ->> 'certificate', b.data ->> 'result', b.time, false
FROM batch b
WHERE b.type = 'onewindow.certificate.checked.v1'
  AND b.person_id IS NOT NULL
  AND b.data ->> 'certificate' IS NOT NULL
ON CONFLICT (person_id, certificate) DO UPDATE SET
    result     = EXCLUDED.result,
    checked_at = EXCLUDED.checked_at,
    reissued   = false;

-- An issue after the latest check (or with no check at all).
INSERT INTO {{schema}}.certificates AS c (person_id, certificate, result, checked_at, reissued)
SELECT b.person_id, b.data ->> 'certificate', NULL, NULL, true
FROM batch b
WHERE b.type = 'onewindow.certificate.issued.v1'
  AND b.person_id IS NOT NULL
  AND b.data ->> 'certificate' IS NOT NULL
ON CONFLICT (person_id, certificate) DO UPDATE SET reissued = true;
