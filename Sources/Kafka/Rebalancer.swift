import CRdKafka
import Logging
import Synchronization

/// Applies librdkafka's rebalance events: seeks newly assigned partitions to the
/// application's offsets, tells it of revoked ones, and keeps the assignment set current.
/// Handles both the eager and the cooperative protocol.
struct Rebalancer: Sendable {
    let offsetsOnAssign: KafkaConsumer.OffsetsOnAssign?
    let onRevoke: KafkaConsumer.OnRevoke?
    let state: Locked<ConsumerState>
    let logger: Logger

    func handle(_ rk: OpaquePointer, _ event: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let partitions = list.pointee.swiftPartitions
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        if event == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
            assign(rk, list, partitions, cooperative: cooperative)
        } else {
            logger.info("partitions revoked", metadata: ["partitions": "\(partitions)"])
            onRevoke?(partitions)
            state.withLock { $0.assigned.subtract(partitions) }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) { record(KafkaError(consuming: error)) }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
        }
    }

    private func assign(_ rk: OpaquePointer, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>,
                        _ partitions: [KafkaTopicPartition], cooperative: Bool) {
        var pauseAll = false
        if let offsetsOnAssign {
            let result: Result<[KafkaTopicPartition: Int64], any Error> = waitBlocking {
                do { return .success(try await offsetsOnAssign(partitions)) } catch { return .failure(error) }
            }
            switch result {
            case .success(let offsets):
                for i in 0..<Int(list.pointee.cnt) {
                    let tp = partitions[i]
                    if let offset = offsets[tp] { list.pointee.elems[i].offset = offset }
                }
            case .failure(let error):
                // Never read from an offset the application did not give: take the
                // partitions paused and surface the error on the next poll.
                pauseAll = true
                record(KafkaError(code: RD_KAFKA_RESP_ERR__STATE.rawValue, message: "offsets on assign failed: \(error)"))
            }
        }
        if cooperative {
            if let error = rd_kafka_incremental_assign(rk, list) { record(KafkaError(consuming: error)) }
        } else {
            let err = rd_kafka_assign(rk, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { record(KafkaError(err, detail: "assign")) }
        }
        if pauseAll { _ = rd_kafka_pause_partitions(rk, list) }
        state.withLock { $0.assigned.formUnion(partitions) }
        logger.info("partitions assigned", metadata: ["partitions": "\(partitions)"])
    }

    private func record(_ error: KafkaError) {
        logger.error("rebalance failed", metadata: ["error": "\(error)"])
        state.withLock { $0.rebalanceError = error }
    }
}
