SELECT r.person_id        AS "personId",
       r.origin_region    AS "originRegion",
       r.origin_county    AS "originCounty",
       r.status           AS "status",
       r.residence_county AS "residenceCounty",
       r.arrived_on       AS "arrivedOn",
       r.departed_on      AS "departedOn",
       r.permit_status    AS "permitStatus"
FROM {{schema}}.people r
