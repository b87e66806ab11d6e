SELECT c.case_id   AS "caseId",
       c.kind      AS "kind",
       c.person_id AS "personId",
       c.assignee  AS "assignee",
       c.status    AS "status",
       c.priority  AS "priority",
       c.due_at    AS "dueAt",
       (c.due_at < now() AND c.status NOT IN ('resolved', 'closed')) AS "overdue"
FROM {{schema}}.cases c
