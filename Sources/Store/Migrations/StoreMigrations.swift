/// The event store's schema, as migrations. `onewindow migrate` passes
/// `StoreMigrations.set(for: configuration)` to the ``Migrator`` along with the other schemas.
public enum StoreMigrations {
    /// The store's migrations in the configured schema.
    public static func set(for configuration: StoreConfiguration) -> MigrationSet {
        MigrationSet(schema: configuration.schema, migrations: all)
    }

    static let all: [Migration] = [
        Migration(version: 1, name: "events, outbox, relay progress", statements: [
            """
            CREATE TABLE {schema}.events (
                position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tx             xid8 NOT NULL DEFAULT pg_current_xact_id(),
                stream         text NOT NULL,
                stream_version bigint NOT NULL CHECK (stream_version > 0),
                type           text NOT NULL,
                time           timestamptz NOT NULL,
                recorded_at    timestamptz NOT NULL DEFAULT now(),
                actor          text NOT NULL,
                region         text,
                source         text NOT NULL,
                event_id       text NOT NULL,
                data           jsonb NOT NULL,
                metadata       jsonb NOT NULL DEFAULT '{}'::jsonb,
                CONSTRAINT events_stream_version_key UNIQUE (stream, stream_version),
                CONSTRAINT events_source_event_id_key UNIQUE (source, event_id)
            )
            """,
            // The schema-level guard of gap-free reading (see AppendLock.swift): every statement
            // that inserts events first takes the append lock, so positions commit in order
            // even for a writer that bypasses EventStore.
            """
            CREATE FUNCTION {schema}.take_append_lock() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('onewindow.append'), hashtext(TG_TABLE_SCHEMA));
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER events_take_append_lock BEFORE INSERT ON {schema}.events
            FOR EACH STATEMENT EXECUTE FUNCTION {schema}.take_append_lock()
            """,
            // Outbox rows are written by the same statement as their events (no foreign key:
            // it would cost a lookup per row on the hottest path and guard nothing extra).
            """
            CREATE TABLE {schema}.outbox (
                position bigint NOT NULL,
                topic    text NOT NULL,
                key      text NOT NULL,
                PRIMARY KEY (position, topic)
            )
            """,
            """
            CREATE TABLE {schema}.relay_progress (
                relay      text PRIMARY KEY,
                position   bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        Migration(version: 2, name: "ingest rejections", statements: [
            // Accepted events need no row here: the events table's unique (source, event_id)
            // already answers "accepted, at position p" — a second copy could only disagree.
            """
            CREATE TABLE {schema}.ingest_rejections (
                source      text NOT NULL,
                event_id    text NOT NULL,
                reason      text NOT NULL,
                field       text,
                rejected_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (source, event_id)
            )
            """,
        ]),
        Migration(version: 3, name: "person keys and identity blind index", statements: [
            """
            CREATE TABLE {schema}.person_keys (
                person_id   uuid PRIMARY KEY,
                wrapped_key bytea NOT NULL,
                created_at  timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE {schema}.identity_index (
                blind_hash bytea PRIMARY KEY,
                person_id  uuid NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX identity_index_person_id ON {schema}.identity_index (person_id)",
        ]),
        // The store never looks inside an event's data or metadata: it keeps them and hands them
        // to the relay and to readers. `json` keeps the intake's bytes as they were written
        // (already canonical: sorted keys, no spaces), costs about half of `jsonb` to take in
        // (the append statement ≈ 10 % less) and nothing to give back as text (the relay's
        // read). Events stored before keep `jsonb`'s rendering, so their re-publication stays
        // byte-identical.
        Migration(version: 4, name: "event data and metadata kept as json text", statements: [
            "ALTER TABLE {schema}.events ALTER COLUMN metadata DROP DEFAULT",
            """
            ALTER TABLE {schema}.events
                ALTER COLUMN data TYPE json USING data::json,
                ALTER COLUMN metadata TYPE json USING metadata::json
            """,
            "ALTER TABLE {schema}.events ALTER COLUMN metadata SET DEFAULT '{}'::json",
        ]),
        // Appends commit one at a time (see AppendLock.swift), so the time between taking the
        // lock and committing bounds the whole store's write rate. With the lock taken by one
        // statement and the insert sent by the next, that time included two more round trips,
        // the transfer and parsing of the batch's arrays, and the client's wait for a busy event
        // loop: under load the lock was held ~95 % of the time for ≈ 3× the insert's own work.
        // One call does it all on the server: the arguments (arrays, `data` already parsed as
        // `json`) are read before the body runs, the body takes the lock and then inserts. Its
        // statement takes a fresh snapshot after the lock (READ COMMITTED, a volatile function),
        // so the duplicate check and the stream versions see every append committed before.
        // Called outside a transaction, the call is the transaction, and the lock is released
        // by its commit. `EXECUTE` plans each call with the batch's real sizes, as the client's
        // one-off statements were; a cached generic plan would guess ten rows per array.
        Migration(version: 5, name: "append as one server-side call: lock, then insert", statements: [
            """
            CREATE FUNCTION {schema}.append_batch(
                streams text[], event_ids text[], sources text[], types text[], times timestamptz[],
                actors text[], regions text[], data json[], metadata json[], topics text[])
            RETURNS TABLE ("position" bigint, stream_version bigint, source text, event_id text)
            LANGUAGE plpgsql VOLATILE AS $function$
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('onewindow.append'), hashtext('{schema}'));
                -- Numbering and the duplicate check work on narrow rows (ordinal, stream, key);
                -- the wide columns are joined back only for the insert (sorting rows with their
                -- data cost a third of the statement). Each key must appear once per call.
                -- The duplicate check probes the (source, event_id) index once per row; without
                -- the OFFSET 0 fence the planner turned it into a hash anti-join that read the
                -- whole events table on every append, whatever its statistics, until the table
                -- held some 300,000 events (the per-row probes looked dearer before that).
                RETURN QUERY EXECUTE $query$
                    WITH input AS (
                        SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                            WITH ORDINALITY AS i(stream, event_id, source, type, time, actor, region, data, metadata, topic, ord)
                    ), fresh AS (
                        SELECT i.ord, i.stream, row_number() OVER (PARTITION BY i.stream ORDER BY i.ord) AS n
                        FROM input i
                        WHERE NOT EXISTS (SELECT 1 FROM {schema}.events e
                                          WHERE e.source = i.source AND e.event_id = i.event_id OFFSET 0)
                    ), versioned AS (
                        SELECT f.ord, f.n + coalesce((SELECT max(e.stream_version) FROM {schema}.events e
                                                      WHERE e.stream = f.stream), 0) AS stream_version
                        FROM fresh f
                    ), inserted AS (
                        INSERT INTO {schema}.events
                            (stream, stream_version, type, time, actor, region, source, event_id, data, metadata)
                        SELECT i.stream, v.stream_version, i.type, i.time, i.actor, nullif(i.region, ''),
                               i.source, i.event_id, i.data, i.metadata
                        FROM versioned v JOIN input i ON i.ord = v.ord
                        ORDER BY v.ord
                        RETURNING position, stream_version, source, event_id, stream
                    ), published AS (
                        INSERT INTO {schema}.outbox (position, topic, key)
                        SELECT n.position, i.topic, n.stream
                        FROM inserted n JOIN input i ON i.source = n.source AND i.event_id = n.event_id
                        WHERE i.topic <> ''
                    )
                    SELECT position, stream_version, source, event_id FROM inserted
                $query$ USING streams, event_ids, sources, types, times, actors, regions, data, metadata, topics;
            END
            $function$
            """,
        ]),
        // A person was two rows in two tables (the blind index entry and the key), so creating
        // one cost two heap rows and three index entries, one of them (the index's person_id,
        // for erasure) only to find the other row, and every lookup probed twice. One row per
        // person now: looked up by blind hash, erased by id. Taking in a thousand new people
        // went from ≈ 19 to ≈ 11 ms of PostgreSQL time. Each person has one blind hash (the
        // intake creates people only with one), so the copy below keeps every key: a person
        // with two entries would stop this migration on the primary key rather than lose one.
        // A key without an entry keeps a null hash; an entry without a key (only an erasure
        // interrupted before the change could leave one) resolves to no one and is dropped.
        Migration(version: 6, name: "people: blind index entry and data key in one row", statements: [
            """
            CREATE TABLE {schema}.people (
                person_id   uuid PRIMARY KEY,
                blind_hash  bytea UNIQUE,
                wrapped_key bytea NOT NULL,
                created_at  timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            INSERT INTO {schema}.people (person_id, blind_hash, wrapped_key, created_at)
            SELECT k.person_id, i.blind_hash, k.wrapped_key, k.created_at
            FROM {schema}.person_keys k LEFT JOIN {schema}.identity_index i ON i.person_id = k.person_id
            """,
            "DROP TABLE {schema}.identity_index",
            "DROP TABLE {schema}.person_keys",
        ]),
        // Every statement that inserts events tells listeners once it commits (NOTIFY is
        // transactional, and repeats within a transaction are sent once): the relay waits for
        // this instead of reading the outbox a hundred times a second while nothing arrives.
        // The payload is the store's schema, so relays of other stores ignore it.
        Migration(version: 7, name: "appends notify the relay", statements: [
            """
            CREATE OR REPLACE FUNCTION {schema}.take_append_lock() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('onewindow.append'), hashtext(TG_TABLE_SCHEMA));
                PERFORM pg_notify('onewindow_appended', TG_TABLE_SCHEMA);
                RETURN NULL;
            END
            $$
            """,
        ]),
        // The outbox was a second table beside the events: a row (position, topic, key) written
        // by the same statement as each event, never pruned. Every append paid a second heap row
        // and index entry for it, and every relay read joined it back to the events row by row.
        // The events row now says itself where it goes: `topic` (null: not published; the key
        // is the stream). The events table is read by the relay in position order, under the
        // same append lock and so with the same gap-free guarantee. An event with more than one
        // outbox row cannot be carried over; the migration stops on it rather than lose one.
        // Carrying the topics over updates every stored event once (one transaction; the table
        // takes twice its space until vacuum reclaims the old row versions).
        Migration(version: 8, name: "the outbox becomes the events' topic column", statements: [
            "ALTER TABLE {schema}.events ADD COLUMN topic text",
            """
            DO $check$
            BEGIN
                IF EXISTS (SELECT 1 FROM {schema}.outbox GROUP BY position HAVING count(*) > 1) THEN
                    RAISE EXCEPTION 'an event has more than one outbox row; the events'' topic column can hold one';
                END IF;
            END
            $check$
            """,
            "UPDATE {schema}.events e SET topic = o.topic FROM {schema}.outbox o WHERE o.position = e.position",
            "DROP TABLE {schema}.outbox",
            """
            CREATE OR REPLACE FUNCTION {schema}.append_batch(
                streams text[], event_ids text[], sources text[], types text[], times timestamptz[],
                actors text[], regions text[], data json[], metadata json[], topics text[])
            RETURNS TABLE ("position" bigint, stream_version bigint, source text, event_id text)
            LANGUAGE plpgsql VOLATILE AS $function$
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('onewindow.append'), hashtext('{schema}'));
                -- See migration 5 for the shape of this statement (narrow rows for numbering,
                -- the OFFSET 0 fence on the duplicate check).
                RETURN QUERY EXECUTE $query$
                    WITH input AS (
                        SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                            WITH ORDINALITY AS i(stream, event_id, source, type, time, actor, region, data, metadata, topic, ord)
                    ), fresh AS (
                        SELECT i.ord, i.stream, row_number() OVER (PARTITION BY i.stream ORDER BY i.ord) AS n
                        FROM input i
                        WHERE NOT EXISTS (SELECT 1 FROM {schema}.events e
                                          WHERE e.source = i.source AND e.event_id = i.event_id OFFSET 0)
                    ), versioned AS (
                        SELECT f.ord, f.n + coalesce((SELECT max(e.stream_version) FROM {schema}.events e
                                                      WHERE e.stream = f.stream), 0) AS stream_version
                        FROM fresh f
                    )
                    INSERT INTO {schema}.events
                        (stream, stream_version, type, time, actor, region, source, event_id, data, metadata, topic)
                    SELECT i.stream, v.stream_version, i.type, i.time, i.actor, nullif(i.region, ''),
                           i.source, i.event_id, i.data, i.metadata, nullif(i.topic, '')
                    FROM versioned v JOIN input i ON i.ord = v.ord
                    ORDER BY v.ord
                    RETURNING position, stream_version, source, event_id
                $query$ USING streams, event_ids, sources, types, times, actors, regions, data, metadata, topics;
            END
            $function$
            """,
        ]),
        // Before inserting, the append asked two questions per event — is its (source, id)
        // stored already? what is its stream's last version? — and the insert's unique indexes
        // then asked both again. The first try now skips the lookups: every event is taken as
        // new, and a stream the caller marks as created just now (`new_streams`: a person the
        // intake created for this batch) starts at version 1. The unique indexes stay the judge.
        // If an event is stored already, or a stream marked new has events after all (another
        // intake appended for the same person between its creation and this call), the insert
        // fails on them, the try is rolled back (a subtransaction; the error is caught, so the
        // server log stays quiet) and the batch is appended by migration 8's function, lookups
        // and all. A resent batch costs one wasted try. psql, 1,000 events (700 of new streams)
        // into 300,000, ten alternated calls: 23.7 → 18.7 ms median. The lock is taken before
        // the try: a lock taken inside it would be released by its rollback. Migration 8's
        // function stays as it was, so an intake of the previous version keeps working.
        Migration(version: 9, name: "append: a first try without lookups, the full append on a conflict", statements: [
            """
            CREATE FUNCTION {schema}.append_batch(
                streams text[], event_ids text[], sources text[], types text[], times timestamptz[],
                actors text[], regions text[], data json[], metadata json[], topics text[], new_streams bool[])
            RETURNS TABLE ("position" bigint, stream_version bigint, source text, event_id text)
            LANGUAGE plpgsql VOLATILE AS $function$
            DECLARE
                positions bigint[];
                versions bigint[];
                appended_sources text[];
                appended_ids text[];
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('onewindow.append'), hashtext('{schema}'));
                BEGIN
                    -- The rows are gathered into arrays and returned after the try: rows
                    -- returned from inside it would stay returned when it is rolled back.
                    EXECUTE $query$
                        WITH input AS (
                            SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                                WITH ORDINALITY AS i(stream, event_id, source, type, time, actor, region, data, metadata, topic, is_new, ord)
                        ), numbered AS (
                            SELECT i.ord, i.stream, i.is_new, row_number() OVER (PARTITION BY i.stream ORDER BY i.ord) AS n
                            FROM input i
                        ), versioned AS (
                            SELECT f.ord, f.n + CASE WHEN f.is_new THEN 0
                                                     ELSE coalesce((SELECT max(e.stream_version) FROM {schema}.events e
                                                                    WHERE e.stream = f.stream), 0) END AS stream_version
                            FROM numbered f
                        ), inserted AS (
                            INSERT INTO {schema}.events
                                (stream, stream_version, type, time, actor, region, source, event_id, data, metadata, topic)
                            SELECT i.stream, v.stream_version, i.type, i.time, i.actor, nullif(i.region, ''),
                                   i.source, i.event_id, i.data, i.metadata, nullif(i.topic, '')
                            FROM versioned v JOIN input i ON i.ord = v.ord
                            ORDER BY v.ord
                            RETURNING position, stream_version, source, event_id
                        )
                        SELECT array_agg(position ORDER BY position), array_agg(stream_version ORDER BY position),
                               array_agg(source ORDER BY position), array_agg(event_id ORDER BY position)
                        FROM inserted
                    $query$
                    INTO positions, versions, appended_sources, appended_ids
                    USING streams, event_ids, sources, types, times, actors, regions, data, metadata, topics, new_streams;
                EXCEPTION WHEN unique_violation THEN
                    RETURN QUERY SELECT * FROM {schema}.append_batch(
                        streams, event_ids, sources, types, times, actors, regions, data, metadata, topics);
                    RETURN;
                END;
                RETURN QUERY SELECT * FROM unnest(positions, versions, appended_sources, appended_ids);
            END
            $function$
            """,
        ]),
        // The append answered each event with its `(source, event_id)`, so the intake decoded
        // two strings per event and matched them back to its batch through a dictionary of
        // string pairs (≈ 4 % of its CPU). `append_events` answers with each event's ordinal
        // in the arrays given instead (1-based), taken from the same arrays by key rather than
        // inferred from the order of positions, and in no particular order (aggregates of one
        // query read the same rows in the same order, so the three arrays stay aligned; migration
        // 9 sorted the rows once per array). The first try is migration 9's; on a conflict
        // migration 8's full append runs as before and its rows are matched to ordinals here.
        // `append_batch` stays, for an intake of the previous version.
        Migration(version: 10, name: "append answers each event's ordinal", statements: [
            """
            CREATE FUNCTION {schema}.append_events(
                streams text[], event_ids text[], sources text[], types text[], times timestamptz[],
                actors text[], regions text[], data json[], metadata json[], topics text[], new_streams bool[])
            RETURNS TABLE (ord bigint, "position" bigint, stream_version bigint)
            LANGUAGE plpgsql VOLATILE AS $function$
            DECLARE
                ords bigint[];
                positions bigint[];
                versions bigint[];
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('onewindow.append'), hashtext('{schema}'));
                BEGIN
                    -- See migration 9: rows are gathered into arrays, returned after the try.
                    EXECUTE $query$
                        WITH input AS (
                            SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                                WITH ORDINALITY AS i(stream, event_id, source, type, time, actor, region, data, metadata, topic, is_new, ord)
                        ), numbered AS (
                            SELECT i.ord, i.stream, i.is_new, row_number() OVER (PARTITION BY i.stream ORDER BY i.ord) AS n
                            FROM input i
                        ), versioned AS (
                            SELECT f.ord, f.n + CASE WHEN f.is_new THEN 0
                                                     ELSE coalesce((SELECT max(e.stream_version) FROM {schema}.events e
                                                                    WHERE e.stream = f.stream), 0) END AS stream_version
                            FROM numbered f
                        ), inserted AS (
                            INSERT INTO {schema}.events
                                (stream, stream_version, type, time, actor, region, source, event_id, data, metadata, topic)
                            SELECT i.stream, v.stream_version, i.type, i.time, i.actor, nullif(i.region, ''),
                                   i.source, i.event_id, i.data, i.metadata, nullif(i.topic, '')
                            FROM versioned v JOIN input i ON i.ord = v.ord
                            ORDER BY v.ord
                            RETURNING position, stream_version, source, event_id
                        )
                        SELECT array_agg(k.ord), array_agg(n.position), array_agg(n.stream_version)
                        FROM inserted n
                        JOIN unnest($3, $2) WITH ORDINALITY AS k(source, event_id, ord)
                          ON k.source = n.source AND k.event_id = n.event_id
                    $query$
                    INTO ords, positions, versions
                    USING streams, event_ids, sources, types, times, actors, regions, data, metadata, topics, new_streams;
                EXCEPTION WHEN unique_violation THEN
                    RETURN QUERY
                        SELECT k.ord, a.position, a.stream_version
                        FROM {schema}.append_batch(streams, event_ids, sources, types, times, actors, regions, data, metadata, topics) a
                        JOIN unnest(sources, event_ids) WITH ORDINALITY AS k(source, event_id, ord)
                          ON k.source = a.source AND k.event_id = a.event_id;
                    RETURN;
                END;
                RETURN QUERY SELECT * FROM unnest(ords, positions, versions);
            END
            $function$
            """,
        ]),
        // PostgreSQL compiles a statement with LLVM when the planner's estimate passes
        // `jit_above_cost` (100,000 by default). The first try's estimate grows with the square
        // of the batch: knowing no distinct count for a function's output, the planner guesses
        // the batch joined with itself on `ord` at rows² / 200 rows and prices a stream lookup
        // (≈ 8.4) for each, so a batch of 2,000 (the Kafka door's largest) is priced ≈ 172,000
        // once the events table has statistics (1,000: ≈ 44,000). Every such append
        // was then compiled first: 108–184 ms instead of ≈ 60, ≈ 3 CPU s of PostgreSQL per
        // 50,000 events (auto_explain, `bench intake`, 2026-12-03: the rounds whose Kafka figure
        // read 8,600 instead of 13,000 events/s). Compiling never pays for a statement that runs
        // once over a thousand rows, so the appends run with JIT off whoever calls them.
        Migration(version: 11, name: "appends never JIT-compile", statements: [
            """
            ALTER FUNCTION {schema}.append_events(text[], text[], text[], text[], timestamptz[],
                text[], text[], json[], json[], text[], bool[]) SET jit = off
            """,
            """
            ALTER FUNCTION {schema}.append_batch(text[], text[], text[], text[], timestamptz[],
                text[], text[], json[], json[], text[], bool[]) SET jit = off
            """,
            """
            ALTER FUNCTION {schema}.append_batch(text[], text[], text[], text[], timestamptz[],
                text[], text[], json[], json[], text[]) SET jit = off
            """,
        ]),
        // Migration 10's first try put the whole batch in a CTE read twice (so PostgreSQL
        // materialized it), joined it back to the computed versions by ordinal and sorted the
        // joined rows, payloads included, before inserting: three copies of every payload per
        // append. The versions are now computed first from the streams alone, as an array in
        // ordinal order, and the rows are inserted straight from the arrays, read in ordinal
        // order (`ORDER BY` the ordinality of a function scan needs no sort: PostgreSQL knows the
        // scan is in that order). Positions are taken from the identity as rows are inserted, so
        // the n-th smallest position of the statement is the n-th event: that gives each
        // event's ordinal without matching `(source, event_id)` pairs back. psql, 1,000 events
        // (700 new streams, 300 stored ones) into 200,000, fifteen alternated calls: ≈ 28 ms
        // against ≈ 34. The conflict path is migration 10's.
        Migration(version: 12, name: "append: versions first, rows inserted straight from the arrays", statements: [
            """
            CREATE OR REPLACE FUNCTION {schema}.append_events(
                streams text[], event_ids text[], sources text[], types text[], times timestamptz[],
                actors text[], regions text[], data json[], metadata json[], topics text[], new_streams bool[])
            RETURNS TABLE (ord bigint, "position" bigint, stream_version bigint)
            LANGUAGE plpgsql VOLATILE SET jit = off AS $function$
            DECLARE
                versions bigint[];
                positions bigint[];
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('onewindow.append'), hashtext('{schema}'));
                BEGIN
                    -- See migration 9: results are gathered into arrays, returned after the try.
                    EXECUTE $query$
                        SELECT array_agg(t.version ORDER BY t.ord) FROM (
                            SELECT k.ord, row_number() OVER (PARTITION BY k.stream ORDER BY k.ord)
                                   + CASE WHEN k.is_new THEN 0
                                          ELSE coalesce((SELECT max(e.stream_version) FROM {schema}.events e
                                                         WHERE e.stream = k.stream), 0) END AS version
                            FROM unnest($1, $2) WITH ORDINALITY AS k(stream, is_new, ord)
                        ) t
                    $query$
                    INTO versions
                    USING streams, new_streams;
                    EXECUTE $query$
                        WITH inserted AS (
                            INSERT INTO {schema}.events
                                (stream, stream_version, type, time, actor, region, source, event_id, data, metadata, topic)
                            SELECT i.stream, i.version, i.type, i.time, i.actor, nullif(i.region, ''),
                                   i.source, i.event_id, i.data, i.metadata, nullif(i.topic, '')
                            FROM unnest($1, $11, $4, $5, $6, $7, $3, $2, $8, $9, $10) WITH ORDINALITY
                                AS i(stream, version, type, time, actor, region, source, event_id, data, metadata, topic, ord)
                            ORDER BY i.ord
                            RETURNING position
                        )
                        SELECT array_agg(n.position ORDER BY n.position) FROM inserted n
                    $query$
                    INTO positions
                    USING streams, event_ids, sources, types, times, actors, regions, data, metadata, topics, versions;
                EXCEPTION WHEN unique_violation THEN
                    RETURN QUERY
                        SELECT k.ord, a.position, a.stream_version
                        FROM {schema}.append_batch(streams, event_ids, sources, types, times, actors, regions, data, metadata, topics) a
                        JOIN unnest(sources, event_ids) WITH ORDINALITY AS k(source, event_id, ord)
                          ON k.source = a.source AND k.event_id = a.event_id;
                    RETURN;
                END;
                RETURN QUERY SELECT r.ord, r.position, r.version
                    FROM unnest(positions, versions) WITH ORDINALITY AS r(position, version, ord);
            END
            $function$
            """,
        ]),
        // The store keeps an event's data and metadata and never looks inside them (see migration
        // 4), but as `json` it still parsed both to check them on every append: ≈ 13 % of the
        // insert (psql, 1,000 events into a fresh table, fifty alternated batches: 55.5 → 48.2 ms
        // median). The intake writes both itself, from a document it parsed and validated, with
        // the canonical writer; the store now keeps them as the text they are. Reading them is
        // unchanged (`data::text`); a query that looks inside casts (`data::json ->> 'name'`).
        // Changing the type rewrites the table once, under an exclusive lock: on a large store,
        // run it in a quiet hour. The conflict path still goes through migration 8's function,
        // whose `json` parameters check the payloads; it runs only for a batch that repeats
        // stored events. The functions taking `json` stay, for an intake of the previous version.
        // The new `append_events` also takes each event's ordinal among its stream's events in
        // the batch (`nth`) from the caller, who has the batch in hand: numbering them here took
        // a window over the streams, sorting the batch by stream (psql, the versions query for
        // 1,000 events, 300 of them of stored streams, thirty alternated batches: 11.0 → 6.5 ms).
        Migration(version: 13, name: "event data and metadata kept as text; the caller numbers a stream's events in the batch", statements: [
            "ALTER TABLE {schema}.events ALTER COLUMN metadata DROP DEFAULT",
            """
            ALTER TABLE {schema}.events
                ALTER COLUMN data TYPE text USING data::text,
                ALTER COLUMN metadata TYPE text USING metadata::text
            """,
            "ALTER TABLE {schema}.events ALTER COLUMN metadata SET DEFAULT '{}'",
            """
            CREATE FUNCTION {schema}.append_events(
                streams text[], event_ids text[], sources text[], types text[], times timestamptz[],
                actors text[], regions text[], data text[], metadata text[], topics text[], new_streams bool[],
                nth bigint[])
            RETURNS TABLE (ord bigint, "position" bigint, stream_version bigint)
            LANGUAGE plpgsql VOLATILE SET jit = off AS $function$
            DECLARE
                versions bigint[];
                positions bigint[];
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('onewindow.append'), hashtext('{schema}'));
                BEGIN
                    -- See migration 9: results are gathered into arrays, returned after the try.
                    -- An event's version: its ordinal among its stream's events in the batch
                    -- (`nth`, from the caller), after the stream's last stored version.
                    EXECUTE $query$
                        SELECT array_agg(k.nth + CASE WHEN k.is_new THEN 0
                                                      ELSE coalesce((SELECT max(e.stream_version) FROM {schema}.events e
                                                                     WHERE e.stream = k.stream), 0) END
                                         ORDER BY k.ord)
                        FROM unnest($1, $2, $3) WITH ORDINALITY AS k(stream, is_new, nth, ord)
                    $query$
                    INTO versions
                    USING streams, new_streams, nth;
                    EXECUTE $query$
                        WITH inserted AS (
                            INSERT INTO {schema}.events
                                (stream, stream_version, type, time, actor, region, source, event_id, data, metadata, topic)
                            SELECT i.stream, i.version, i.type, i.time, i.actor, nullif(i.region, ''),
                                   i.source, i.event_id, i.data, i.metadata, nullif(i.topic, '')
                            FROM unnest($1, $11, $4, $5, $6, $7, $3, $2, $8, $9, $10) WITH ORDINALITY
                                AS i(stream, version, type, time, actor, region, source, event_id, data, metadata, topic, ord)
                            ORDER BY i.ord
                            RETURNING position
                        )
                        SELECT array_agg(n.position ORDER BY n.position) FROM inserted n
                    $query$
                    INTO positions
                    USING streams, event_ids, sources, types, times, actors, regions, data, metadata, topics, versions;
                EXCEPTION WHEN unique_violation THEN
                    -- Migration 8's full append, whose `json` parameters check the payloads.
                    RETURN QUERY
                        SELECT k.ord, a.position, a.stream_version
                        FROM {schema}.append_batch(streams, event_ids, sources, types, times, actors, regions,
                                                  data::json[], metadata::json[], topics) a
                        JOIN unnest(sources, event_ids) WITH ORDINALITY AS k(source, event_id, ord)
                          ON k.source = a.source AND k.event_id = a.event_id;
                    RETURN;
                END;
                RETURN QUERY SELECT r.ord, r.position, r.version
                    FROM unnest(positions, versions) WITH ORDINALITY AS r(position, version, ord);
            END
            $function$
            """,
        ]),
    ]
}
