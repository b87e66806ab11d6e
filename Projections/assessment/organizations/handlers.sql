-- A case appears at most once per round: each statement meets each case row once.

-- opened: the case, held by the office until routed (a repeated open changes nothing).
INSERT INTO {{schema}}.cases (case_id, state, due_at)
SELECT b.subject::uuid, 'open', (b.data->>'dueAt')::timestamptz
FROM batch b
WHERE b.type = 'onewindow.case.opened.v1'
ON CONFLICT (case_id) DO NOTHING;

-- assigned, referred, escalated (to the committee): the organization has been routed this case.
INSERT INTO {{schema}}.case_organizations (case_id, organization, first_at)
SELECT c.case_id,
       CASE WHEN b.type = 'onewindow.case.escalated.v1' THEN 'committee' ELSE b.data->>'assignee' END,
       b.time
FROM batch b
JOIN {{schema}}.cases c ON c.case_id = b.subject::uuid
WHERE b.type IN ('onewindow.case.assigned.v1', 'onewindow.case.referred.v1', 'onewindow.case.escalated.v1')
ON CONFLICT (case_id, organization) DO NOTHING;

-- every later event: holder, deadline, state and the latest resolution (unknown cases: nothing).
UPDATE {{schema}}.cases c
SET assignee = e.new_assignee,
    assigned_at = CASE
        WHEN e.new_assignee IS NULL THEN NULL
        WHEN e.new_assignee IS DISTINCT FROM c.assignee THEN e.time
        ELSE c.assigned_at
    END,
    due_at = coalesce(e.new_due_at, c.due_at),
    state = CASE e.type
        WHEN 'onewindow.case.resolved.v1' THEN 'resolved'
        WHEN 'onewindow.case.closed.v1'   THEN 'closed'
        WHEN 'onewindow.case.reopened.v1' THEN 'open'
        ELSE c.state
    END,
    resolved_org = CASE e.type
        WHEN 'onewindow.case.resolved.v1' THEN c.assignee
        WHEN 'onewindow.case.reopened.v1' THEN NULL
        ELSE c.resolved_org
    END,
    resolved_from = CASE e.type
        WHEN 'onewindow.case.resolved.v1' THEN c.assigned_at
        WHEN 'onewindow.case.reopened.v1' THEN NULL
        ELSE c.resolved_from
    END,
    resolved_at = CASE e.type
        WHEN 'onewindow.case.resolved.v1' THEN e.time
        WHEN 'onewindow.case.reopened.v1' THEN NULL
        ELSE c.resolved_at
    END,
    resolved_due_at = CASE e.type
        WHEN 'onewindow.case.resolved.v1' THEN c.due_at
        WHEN 'onewindow.case.reopened.v1' THEN NULL
        ELSE c.resolved_due_at
    END
FROM (
    SELECT b.subject::uuid AS case_id,
           b.type,
           b.time,
           CASE b.type
               WHEN 'onewindow.case.assigned.v1'  THEN b.data->>'assignee'
               WHEN 'onewindow.case.referred.v1'  THEN b.data->>'assignee'
               WHEN 'onewindow.case.escalated.v1' THEN 'committee'
               WHEN 'onewindow.case.declined.v1'  THEN NULL
               WHEN 'onewindow.case.reopened.v1'  THEN NULL
               ELSE x.assignee
           END AS new_assignee,
           CASE WHEN b.type IN ('onewindow.case.assigned.v1', 'onewindow.case.referred.v1')
                THEN (b.data->>'dueAt')::timestamptz
           END AS new_due_at
    FROM batch b
    JOIN {{schema}}.cases x ON x.case_id = b.subject::uuid
    WHERE b.type <> 'onewindow.case.opened.v1'
) e
WHERE c.case_id = e.case_id;
