-- One row per child of a registered person (the parent): household members with relation
-- child, child_no being the member's 1-based place in the registration's household list.
-- identity_number is kept only to match a school-enrollment request's beneficiary; it is
-- not in the view. Both it and child_name are set to null when the parent is erased, or the
-- child: child_person_id is the child's own person id when the registration named the child
-- by identity (their strings are then sealed under their own key; not in the view either).
CREATE TABLE {{schema}}.children (
    person_id       uuid NOT NULL,
    child_no        integer NOT NULL,
    child_name      text,
    identity_number text,
    child_person_id uuid,
    birth_date      date,
    enrollment      text NOT NULL DEFAULT 'none' CHECK (enrollment IN ('none', 'requested', 'enrolled')),
    request_id      text,
    enrolled_on     date,
    PRIMARY KEY (person_id, child_no)
);

CREATE INDEX ON {{schema}}.children (enrollment);
CREATE INDEX ON {{schema}}.children (request_id);
CREATE INDEX ON {{schema}}.children (child_person_id) WHERE child_person_id IS NOT NULL;

-- School-enrollment requests that matched no child when they came: the parent's registration
-- (with the household) had not arrived yet, or did not list the child. They apply when a
-- registration lists the child, and go with the parent's erasure. by_name and by_number (the
-- child's name or identity number, as the request names them) serve only that match; by_person
-- is the child's person id when the request names a child who is a person of their own (the
-- child's erasure drops by_number and keeps it).
CREATE TABLE {{schema}}.pending_requests (
    person_id  uuid NOT NULL,
    request_id text NOT NULL,
    position   bigint NOT NULL,
    by_name    text,
    by_number  text,
    by_person  uuid,
    PRIMARY KEY (person_id, request_id)
);

-- The people erased so far, by id only. A registration or request that names an erased child
-- by identity comes on the parent's partition and may be consumed after the child's erasure:
-- its child's strings are then not kept, whichever reader could still open them.
CREATE TABLE {{schema}}.erased_people (
    person_id uuid PRIMARY KEY
);
