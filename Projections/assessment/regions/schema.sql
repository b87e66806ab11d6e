-- assessment.regions keeps one row per cross-region case (a case opened with otherRegion);
-- view.sql aggregates per region at read time.
CREATE TABLE {{schema}}.cases (
    case_id            uuid PRIMARY KEY,
    origin_region      text NOT NULL,
    opened_at          timestamptz NOT NULL,
    first_resolved_at  timestamptz
);
CREATE INDEX cases_origin_region_idx ON {{schema}}.cases (origin_region);
