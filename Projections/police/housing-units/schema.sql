-- One row per housing unit, registered or only named in a resident's residence.
CREATE TABLE {{schema}}.units (
    housing_unit_id text PRIMARY KEY,
    region          text,
    grid_id         text,
    capacity        integer,
    registered      boolean NOT NULL DEFAULT false,
    occupants       integer NOT NULL DEFAULT 0,
    -- The store position of the latest residence that named the unit: a unit not in the
    -- registry takes that residence's region and grid, whatever order the partitions arrive in.
    named_at        bigint
);

-- Each registered person's current unit (null: departed, or living outside a known unit).
CREATE TABLE {{schema}}.people (
    person_id       uuid PRIMARY KEY,
    resident        boolean NOT NULL,
    housing_unit_id text
);

CREATE INDEX ON {{schema}}.units (region);
CREATE INDEX ON {{schema}}.units (grid_id);
CREATE INDEX ON {{schema}}.units (registered);
CREATE INDEX ON {{schema}}.people (housing_unit_id);
