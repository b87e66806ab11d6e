import Foundation
import PostgresNIO

/// An event as the store holds it.
public struct RecordedEvent: Sendable, Equatable {
    public let position: Int64
    public let stream: String
    public let streamVersion: Int64
    public let id: String
    public let source: String
    public let type: String
    public let time: Date
    public let recordedAt: Date
    public let actor: String
    public let region: String?
    /// The payload as stored (JSON, UTF-8): the bytes the writer appended (events stored before
    /// migration 4 carry `jsonb`'s rendering: keys by length, a space after `:` and `,`).
    public let data: Data
    public let metadata: Data

    /// The column list every event query selects, in the order ``init(row:)`` decodes.
    static let columns = """
        e.position, e.stream, e.stream_version, e.event_id, e.source, e.type, e.time, e.recorded_at, \
        e.actor, e.region, e.data::text, e.metadata::text
        """

    /// An event built in memory (the rebuild benchmark's synthetic city).
    package init(position: Int64, stream: String, streamVersion: Int64, id: String, source: String, type: String,
                 time: Date, recordedAt: Date, actor: String, region: String?, data: Data, metadata: Data) {
        (self.position, self.stream, self.streamVersion, self.id, self.source, self.type) =
            (position, stream, streamVersion, id, source, type)
        (self.time, self.recordedAt, self.actor, self.region, self.data, self.metadata) =
            (time, recordedAt, actor, region, data, metadata)
    }

    /// Decodes the ``columns`` found in `row` after its first `skipping` columns.
    init(row: PostgresRow, skipping offset: Int = 0) throws {
        try self.init(cells: row.makeRandomAccess(), skipping: offset)
    }

    /// Decodes the ``columns`` found in `cells` after the first `skipping` (a caller that reads
    /// those too makes the random-access row once).
    init(cells: PostgresRandomAccessRow, skipping offset: Int = 0) throws {
        func cell<T: PostgresDecodable>(_ index: Int, _: T.Type = T.self) throws -> T {
            try cells[offset + index].decode(T.self)
        }
        self.position = try cell(0)
        self.stream = try cell(1)
        self.streamVersion = try cell(2)
        self.id = try cell(3)
        self.source = try cell(4)
        self.type = try cell(5)
        self.time = try cell(6)
        self.recordedAt = try cell(7)
        self.actor = try cell(8)
        self.region = try cell(9, String?.self)
        // The text's bytes as they came (PostgreSQL sends UTF-8 text as it is in binary format):
        // decoding a String first validated and copied every payload once more.
        self.data = try cell(10, Data.self)
        self.metadata = try cell(11, Data.self)
    }
}
