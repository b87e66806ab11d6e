-- A case appears at most once per round: each statement meets each case row once.

-- opened with otherRegion: a request to that region (cases without one are not cross-region).
INSERT INTO {{schema}}.cases (case_id, origin_region, opened_at)
SELECT b.subject::uuid, b.data->>'otherRegion', b.time
FROM batch b
WHERE b.type = 'onewindow.case.opened.v1'
  AND coalesce(b.data->>'otherRegion', '') <> ''
ON CONFLICT (case_id) DO NOTHING;

-- resolved: the first resolution is the region's answer; a later one (after a reopen) changes nothing.
UPDATE {{schema}}.cases c
SET first_resolved_at = b.time
FROM batch b
WHERE b.type = 'onewindow.case.resolved.v1'
  AND c.case_id = b.subject::uuid
  AND c.first_resolved_at IS NULL;
