-- assessment.organizations keeps one row per case (who holds it, since when, its deadline,
-- and its latest resolution) and one row per (case, organization it was ever routed to).
-- view.sql aggregates both per organization at read time (overdue depends on now()).
CREATE TABLE {{schema}}.cases (
    case_id          uuid PRIMARY KEY,
    state            text NOT NULL,            -- open | resolved | closed
    assignee         text,                     -- organization holding it; "committee" once escalated; null with the office
    assigned_at      timestamptz,              -- when the current assignee received it
    due_at           timestamptz NOT NULL,     -- the deadline in force
    resolved_org     text,                     -- the assignee when the case was (last) resolved
    resolved_from    timestamptz,              -- that assignee's assignment time
    resolved_at      timestamptz,
    resolved_due_at  timestamptz               -- the deadline in force when resolved
);
CREATE INDEX cases_assignee_open_idx ON {{schema}}.cases (assignee, due_at) WHERE state = 'open' AND assignee IS NOT NULL;
CREATE INDEX cases_resolved_org_idx ON {{schema}}.cases (resolved_org) WHERE resolved_org IS NOT NULL;
CREATE TABLE {{schema}}.case_organizations (
    case_id       uuid NOT NULL,
    organization  text NOT NULL,
    first_at      timestamptz NOT NULL,
    PRIMARY KEY (case_id, organization)
);
CREATE INDEX case_organizations_organization_idx ON {{schema}}.case_organizations (organization);
