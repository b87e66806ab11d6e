-- One row per person and certificate: the latest check, and whether an issue followed it.
-- An issue with no check before it makes a row with no result and reissued true.
CREATE TABLE {{schema}}.certificates (
    person_id   uuid NOT NULL,
    certificate text NOT NULL,
    result      text,
    checked_at  timestamptz,
    reissued    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (person_id, certificate)
);

CREATE INDEX ON {{schema}}.certificates (certificate, result);
CREATE INDEX ON {{schema}}.certificates (result);
CREATE INDEX ON {{schema}}.certificates (reissued);
