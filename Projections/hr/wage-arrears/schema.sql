-- One row per wage-arrears request (or per delivery that names no request).
CREATE TABLE {{schema}}.wage_arrears (
    person_id    uuid NOT NULL,
    request_id   text NOT NULL,
    status       text NOT NULL CHECK (status IN ('open', 'resolved')),
    region       text,
    requested_at timestamptz,
    resolved_on  date,
    provider     text,
    PRIMARY KEY (person_id, request_id)
);

CREATE INDEX ON {{schema}}.wage_arrears (request_id);
CREATE INDEX ON {{schema}}.wage_arrears (status);
CREATE INDEX ON {{schema}}.wage_arrears (provider);
CREATE INDEX ON {{schema}}.wage_arrears (region);
