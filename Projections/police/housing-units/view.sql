SELECT u.housing_unit_id AS "housingUnitId",
       u.region          AS "region",
       u.grid_id         AS "gridId",
       u.occupants       AS "occupants",
       u.capacity        AS "capacity",
       u.registered      AS "registered"
FROM {{schema}}.units u
