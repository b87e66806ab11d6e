-- One row per registered person: the current (or last) residence.
CREATE TABLE {{schema}}.residents (
    person_id       uuid PRIMARY KEY,
    status          text NOT NULL CHECK (status IN ('resident', 'departed')),
    region          text,
    grid_id         text,
    housing_unit_id text,
    arrived_on      date,
    departed_on     date,
    permit_status   text NOT NULL DEFAULT 'none' CHECK (permit_status IN ('none', 'applied', 'issued', 'rejected'))
);

-- The latest permit decision of every person, registered or not yet, so that a
-- registration that comes after a permit event shows the right status.
CREATE TABLE {{schema}}.permits (
    person_id uuid PRIMARY KEY,
    status    text NOT NULL CHECK (status IN ('applied', 'issued', 'rejected'))
);

CREATE INDEX ON {{schema}}.residents (status);
CREATE INDEX ON {{schema}}.residents (region);
CREATE INDEX ON {{schema}}.residents (grid_id);
CREATE INDEX ON {{schema}}.residents (housing_unit_id);
CREATE INDEX ON {{schema}}.residents (permit_status);
