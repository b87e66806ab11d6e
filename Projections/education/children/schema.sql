-- One row per child of a registered person (the parent): household members with relation
-- child, child_no being the member's 1-based place in the registration's household list.
-- identity_number is kept only to match a school-enrollment request's beneficiary; it is
-- not in the view. Both it and child_name are set to null when the parent is erased.
CREATE TABLE {{schema}}.children (
    person_id       uuid NOT NULL,
    child_no        integer NOT NULL,
    child_name      text,
    identity_number text,
    birth_date      date,
    enrollment      text NOT NULL DEFAULT 'none' CHECK (enrollment IN ('none', 'requested', 'enrolled')),
    request_id      text,
    enrolled_on     date,
    PRIMARY KEY (person_id, child_no)
);

CREATE INDEX ON {{schema}}.children (enrollment);
CREATE INDEX ON {{schema}}.children (request_id);

-- School-enrollment requests that matched no child when they came: the parent's registration
-- (with the household) had not arrived yet, or did not list the child. They apply when a
-- registration lists the child, and go with the parent's erasure. by_name and by_number (the
-- child's name or identity number, as the request names them) serve only that match.
CREATE TABLE {{schema}}.pending_requests (
    person_id  uuid NOT NULL,
    request_id text NOT NULL,
    position   bigint NOT NULL,
    by_name    text,
    by_number  text,
    PRIMARY KEY (person_id, request_id)
);
