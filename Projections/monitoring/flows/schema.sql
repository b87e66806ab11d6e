-- monitoring.flows keeps, per person, only what the counters need (origin, current residence,
-- resident or not: no name, no identity), and counters per (origin at province, city or county
-- level) x (residence at county or township level) x month. view.sql turns the counters into
-- residents with a running sum and reports counts under 5 as null.
CREATE TABLE {{schema}}.persons (
    person_id         uuid PRIMARY KEY,
    origin_region     text NOT NULL,
    residence_region  text NOT NULL,
    resident          boolean NOT NULL
);
CREATE TABLE {{schema}}.counters (
    origin_region     text NOT NULL,      -- 12 digits, lower levels zeroed
    origin_level      text NOT NULL,      -- province | city | county
    residence_region  text NOT NULL,      -- 12 digits, lower levels zeroed
    residence_level   text NOT NULL,      -- county | township
    month             date NOT NULL,      -- first day of the month
    arrivals          integer NOT NULL DEFAULT 0,
    departures        integer NOT NULL DEFAULT 0,
    moves_in          integer NOT NULL DEFAULT 0,
    moves_out         integer NOT NULL DEFAULT 0,
    PRIMARY KEY (origin_region, residence_region, month)
);
CREATE INDEX counters_residence_idx ON {{schema}}.counters (residence_region, origin_region, month);
CREATE INDEX counters_levels_idx ON {{schema}}.counters (origin_level, residence_level);
CREATE INDEX counters_month_idx ON {{schema}}.counters (month);
