-- A case appears at most once per round, so each statement meets each case row once.

-- opened: a new case, held by the office until routed (a repeated open changes nothing).
INSERT INTO {{schema}}.cases (case_id, kind, person_id, assignee, status, priority, due_at, opened_at, updated_at)
SELECT b.subject::uuid,
       b.data->>'kind',
       (b.data->>'personId')::uuid,
       NULL,
       'open',
       coalesce(b.data->>'priority', 'normal'),
       (b.data->>'dueAt')::timestamptz,
       b.time,
       b.time
FROM batch b
WHERE b.type = 'onewindow.case.opened.v1'
ON CONFLICT (case_id) DO NOTHING;

-- every later event: the new status, holder and deadline (an event for an unknown case changes nothing).
UPDATE {{schema}}.cases c
SET status = CASE b.type
        WHEN 'onewindow.case.assigned.v1'  THEN 'assigned'
        WHEN 'onewindow.case.referred.v1'  THEN 'referred'
        WHEN 'onewindow.case.accepted.v1'  THEN 'accepted'
        WHEN 'onewindow.case.declined.v1'  THEN 'declined'
        WHEN 'onewindow.case.escalated.v1' THEN 'escalated'
        WHEN 'onewindow.case.resolved.v1'  THEN 'resolved'
        WHEN 'onewindow.case.reopened.v1'  THEN 'open'
        WHEN 'onewindow.case.closed.v1'    THEN 'closed'
    END,
    assignee = CASE b.type
        WHEN 'onewindow.case.assigned.v1'  THEN b.data->>'assignee'
        WHEN 'onewindow.case.referred.v1'  THEN b.data->>'assignee'
        WHEN 'onewindow.case.declined.v1'  THEN NULL
        WHEN 'onewindow.case.escalated.v1' THEN 'committee'
        WHEN 'onewindow.case.reopened.v1'  THEN NULL
        ELSE c.assignee
    END,
    due_at = CASE
        WHEN b.type IN ('onewindow.case.assigned.v1', 'onewindow.case.referred.v1')
            THEN coalesce((b.data->>'dueAt')::timestamptz, c.due_at)
        ELSE c.due_at
    END,
    updated_at = b.time
FROM batch b
WHERE b.type IN ('onewindow.case.assigned.v1', 'onewindow.case.referred.v1', 'onewindow.case.accepted.v1',
                 'onewindow.case.declined.v1', 'onewindow.case.escalated.v1', 'onewindow.case.resolved.v1',
                 'onewindow.case.reopened.v1', 'onewindow.case.closed.v1')
  AND c.case_id = b.subject::uuid;
