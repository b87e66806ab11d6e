SELECT c.person_id   AS "personId",
       c.certificate AS "certificate",
       c.result      AS "result",
       c.checked_at  AS "checkedAt",
       c.reissued    AS "reissued"
FROM {{schema}}.certificates c
