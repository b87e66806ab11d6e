SELECT r.person_id       AS "personId",
       r.status          AS "status",
       r.region          AS "region",
       r.grid_id         AS "gridId",
       r.housing_unit_id AS "housingUnitId",
       r.arrived_on      AS "arrivedOn",
       r.departed_on     AS "departedOn",
       r.permit_status   AS "permitStatus"
FROM {{schema}}.residents r
