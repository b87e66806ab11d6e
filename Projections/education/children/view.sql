SELECT c.person_id   AS "personId",
       c.child_no    AS "childNo",
       c.child_name  AS "childName",
       c.birth_date  AS "birthDate",
       c.enrollment  AS "enrollment",
       c.request_id  AS "requestId",
       c.enrolled_on AS "enrolledOn"
FROM {{schema}}.children c
