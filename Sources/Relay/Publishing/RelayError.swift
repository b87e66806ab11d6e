import Kafka

/// Why a batch was not relayed. `description` names no event, key or payload.
public enum RelayError: Error, Sendable, CustomStringConvertible {
    /// `failed` of the batch's messages were not acknowledged; `first` is one broker's reason.
    /// Nothing was marked: the batch is published again.
    case deliveryFailed(failed: Int, of: Int, first: KafkaError)
    /// The producer stopped serving delivery reports (its `run()` ended) before the batch was
    /// acknowledged.
    case producerStopped
    /// A replay stopped: every message before `resumeAfter` was delivered; run it again from
    /// there. `underlying` says why.
    case replayInterrupted(resumeAfter: Int64, underlying: any Error)

    public var description: String {
        switch self {
        case .deliveryFailed(let failed, let total, let first):
            "\(failed) of \(total) messages were not delivered (first: \(first.name))"
        case .producerStopped:
            "the producer stopped before the batch was acknowledged (is its run() running?)"
        case .replayInterrupted(let position, let underlying):
            "replay interrupted; everything up to position \(position) was delivered (\(underlying))"
        }
    }
}
