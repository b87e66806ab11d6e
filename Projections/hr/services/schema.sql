-- One row per request of an employment or social-security service (wage-arrears help is
-- hr.wage-arrears), or per delivery that names no request. The beneficiary is not kept.
CREATE TABLE {{schema}}.services (
    person_id    uuid NOT NULL,
    request_id   text NOT NULL,
    category     text NOT NULL,
    service      text NOT NULL,
    status       text NOT NULL CHECK (status IN ('requested', 'delivered')),
    region       text,
    requested_at timestamptz,
    delivered_on date,
    provider     text,
    PRIMARY KEY (person_id, request_id)
);

CREATE INDEX ON {{schema}}.services (request_id);
CREATE INDEX ON {{schema}}.services (category, service);
CREATE INDEX ON {{schema}}.services (service);
CREATE INDEX ON {{schema}}.services (status);
CREATE INDEX ON {{schema}}.services (region);
CREATE INDEX ON {{schema}}.services (provider);
