import Logging
import PostgresNIO

/// Why readers never skip an event, and what it costs.
///
/// Positions come from a sequence, which hands out numbers when a row is *inserted*, not when
/// its transaction *commits*. With two concurrent writers, A takes position 1, B takes 2,
/// B commits first: a reader polling `position > last` now sees 2, moves its cursor to 2, and
/// never sees 1 when A commits. Position order alone skips events.
///
/// The textbook fix — record `pg_current_xact_id()` per event and read only
/// `tx < pg_snapshot_xmin(pg_current_snapshot())` — is not enough on its own either: a
/// transaction's id is taken when it first writes, its positions later. B may take id 100,
/// A id 101 and position 1, B position 2; B commits, A is still running, so xmin is 101 and
/// B's row (tx 100) at position 2 is shown while position 1 is still to come.
///
/// So appends take one transaction-scoped advisory lock per store schema *before* they take
/// any position, and hold it until they commit. Positions therefore become visible in
/// order: every position below a visible one is committed or was rolled back and will never
/// appear. A reader can follow `position > last` with no gap, and a stream's versions follow
/// its positions. The lock is taken before the statement that reads versions and checks
/// duplicates (so it sees every append committed before): by the store's `append_events`
/// function at its start (migration 10; `append_batch`, migrations 5 and 9, does the same), or
/// by ``EventStore/append(stream:expectedVersion:events:)``
/// first thing in its transaction; and again by a statement trigger on `events` (so a writer
/// that bypasses both cannot break the guarantee).
///
/// The cost is that appends commit one at a time, so the time from taking the lock to the
/// commit bounds the store's write rate. The intake's batches therefore append with one call
/// and no explicit transaction: the lock is held while PostgreSQL inserts (arrays bound and
/// parsed before the lock) and commits, with no round trip to the client in between.
///
/// Readers therefore do *not* add the `tx < xmin` filter (a deliberate change to decision 2):
/// under the lock it adds nothing, and it can do harm — a transaction that took its id before
/// waiting for the lock commits a higher position with a lower `tx`, so while an unrelated
/// transaction holds xmin the filter would show the higher position and hide the lower one.
/// `tx` is still recorded with every event, for audits and for any future lock-free reader.
enum AppendLock {
    /// Takes the append lock of `schema` for the rest of the current transaction.
    static func take(on connection: PostgresConnection, schema: SchemaName, logger: Logger) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtext('onewindow.append'), hashtext(\(schema.rawValue)))",
            logger: logger)
    }
}
