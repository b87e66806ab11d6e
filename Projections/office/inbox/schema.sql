-- office.inbox: one row per case, its state as the case events left it.
-- assignee: the organization that must act now (null while the office holds the case:
-- opened, declined, reopened); "committee" once escalated.
-- overdue is not stored: view.sql computes it from due_at and status at read time.
CREATE TABLE {{schema}}.cases (
    case_id     uuid PRIMARY KEY,
    kind        text NOT NULL,
    person_id   uuid,
    assignee    text,
    status      text NOT NULL,
    priority    text NOT NULL,
    due_at      timestamptz NOT NULL,
    opened_at   timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX cases_assignee_idx ON {{schema}}.cases (assignee, case_id);
CREATE INDEX cases_status_idx ON {{schema}}.cases (status, case_id);
CREATE INDEX cases_kind_idx ON {{schema}}.cases (kind, case_id);
CREATE INDEX cases_person_idx ON {{schema}}.cases (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX cases_priority_idx ON {{schema}}.cases (priority, case_id);
-- overdue = due_at < now() among cases still open: the partial index serves ?overdue=true.
CREATE INDEX cases_due_open_idx ON {{schema}}.cases (due_at) WHERE status NOT IN ('resolved', 'closed');
