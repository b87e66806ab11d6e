-- One row per registered person. Only the county of residence is stored (the residence
-- region's first 6 digits, padded to 12 with zeros): never the township, village, grid,
-- housing unit or address. origin_county is the origin region cut the same way, so a
-- county office can select its people with one equality filter.
CREATE TABLE {{schema}}.people (
    person_id        uuid PRIMARY KEY,
    origin_region    text,
    origin_county    text,
    status           text NOT NULL CHECK (status IN ('resident', 'departed')),
    residence_county text,
    arrived_on       date,
    departed_on      date,
    permit_status    text NOT NULL DEFAULT 'none' CHECK (permit_status IN ('none', 'applied', 'issued', 'rejected'))
);

-- The latest permit decision of every person, registered or not yet.
CREATE TABLE {{schema}}.permits (
    person_id uuid PRIMARY KEY,
    status    text NOT NULL CHECK (status IN ('applied', 'issued', 'rejected'))
);

CREATE INDEX ON {{schema}}.people (origin_region);
CREATE INDEX ON {{schema}}.people (origin_county);
CREATE INDEX ON {{schema}}.people (status);
CREATE INDEX ON {{schema}}.people (residence_county);
CREATE INDEX ON {{schema}}.people (permit_status);
