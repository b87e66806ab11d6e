import Store

/// The projector's own bookkeeping (schema `projector` by default): which version of each
/// projection is live or building, the offsets each version consumed (written in the same
/// transaction as its rows), its progress, and the events it parked.
public enum ProjectorMigrations {
    public static func set(schema: SchemaName) -> MigrationSet {
        MigrationSet(schema: schema, migrations: all)
    }

    static let all: [Migration] = [
        Migration(version: 1, name: "versions, offsets, progress, parked events", statements: [
            """
            CREATE TABLE {schema}.versions (
                projection  text NOT NULL,
                version     integer NOT NULL CHECK (version > 0),
                schema_name text NOT NULL,
                fingerprint text NOT NULL,
                state       text NOT NULL CHECK (state IN ('building', 'live', 'retired')),
                created_at  timestamptz NOT NULL DEFAULT now(),
                switched_at timestamptz,
                PRIMARY KEY (projection, version)
            )
            """,
            "CREATE UNIQUE INDEX versions_one_live ON {schema}.versions (projection) WHERE state = 'live'",
            "CREATE UNIQUE INDEX versions_one_building ON {schema}.versions (projection) WHERE state = 'building'",
            """
            CREATE TABLE {schema}.offsets (
                projection  text NOT NULL,
                version     integer NOT NULL,
                topic       text NOT NULL,
                partition   integer NOT NULL,
                next_offset bigint NOT NULL CHECK (next_offset >= 0),
                PRIMARY KEY (projection, version, topic, partition)
            )
            """,
            """
            CREATE TABLE {schema}.progress (
                projection      text NOT NULL,
                version         integer NOT NULL,
                applied         bigint NOT NULL DEFAULT 0,
                last_position   bigint,
                last_event_time timestamptz,
                updated_at      timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (projection, version)
            )
            """,
            """
            CREATE TABLE {schema}.parked (
                projection   text NOT NULL,
                version      integer NOT NULL,
                topic        text NOT NULL,
                partition    integer NOT NULL,
                kafka_offset bigint NOT NULL,
                event_id     text,
                event_type   text,
                position     bigint,
                reason       text NOT NULL,
                parked_at    timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (projection, version, topic, partition, kafka_offset)
            )
            """,
        ]),
        // A version keeps applying the handlers it was created with: when the definition
        // changes on disk, the live version runs on beside its rebuild, and the new handlers
        // would meet the old tables. Null for versions created before: they run the handlers
        // on disk, as before.
        Migration(version: 2, name: "each version keeps its handlers", statements: [
            "ALTER TABLE {schema}.versions ADD COLUMN handlers text",
        ]),
        // The same for what the version consumes: its topics, the event types its handlers are
        // given, and whether personal fields reach them opened. With the new definition's
        // lists, a live version would stop seeing a type the change dropped (its tables falling
        // behind until the switch), or get sealed strings where its handlers expect names. Null
        // for versions created before: they take the definition's.
        Migration(version: 3, name: "each version keeps what it consumes", statements: [
            "ALTER TABLE {schema}.versions ADD COLUMN topics text[], ADD COLUMN types text[], ADD COLUMN reveal boolean",
        ]),
    ]
}
