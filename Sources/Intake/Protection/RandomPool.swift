import Crypto
import Domain
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Random bytes for nonces, new person keys and new person ids, drawn from the kernel's CSPRNG
/// (`getrandom`, through glibc's `arc4random_buf`) 4 KiB at a time. swift-crypto's
/// `AES.GCM.Nonce()` and `SymmetricKey(size:)` make one system call each, and Foundation's
/// `UUID()` opens, reads and closes `/dev/urandom`; an event seals two or three fields and a new
/// person adds an id, a key and its wrapping: up to eight system calls per event.
///
/// The bytes are the kernel's, handed out once each and zeroed in the pool as they go; only the
/// batching differs. The process never forks, so no two processes can share a pool.
package final class RandomPool: Sendable {
    package static let shared = RandomPool()

    private static let size = 4096
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var bytes = [UInt8](repeating: 0, count: RandomPool.size)
        var next = RandomPool.size
    }

    /// Fills `nonce` (12 bytes) with a fresh 96-bit nonce for AES-GCM.
    func fillNonce(_ nonce: UnsafeMutableRawBufferPointer) {
        precondition(nonce.count == 12, "an AES-GCM nonce is 12 bytes")
        take(12) { nonce.copyMemory(from: $0) }
    }

    /// A fresh person id: a version-4 UUID (Foundation's `UUID()` took ≈ 3.1 µs, opening,
    /// reading and closing `/dev/urandom` each time).
    package func uuid() -> UUID {
        take(16) { UUID(randomBytes: $0) }
    }

    /// A fresh 256-bit key.
    func key() -> SymmetricKey {
        take(32) { SymmetricKey(data: $0) }
    }

    private func take<T: Sendable>(_ count: Int, _ make: (UnsafeRawBufferPointer) -> T) -> T {
        state.withLock { state in
            if state.next + count > Self.size {
                state.bytes.withUnsafeMutableBytes(Self.fill)
                state.next = 0
            }
            let start = state.next
            state.next += count
            return state.bytes.withUnsafeMutableBytes { pool in
                let slice = UnsafeMutableRawBufferPointer(rebasing: pool[start..<start + count])
                defer { slice.initializeMemory(as: UInt8.self, repeating: 0) }
                return make(UnsafeRawBufferPointer(slice))
            }
        }
    }

    /// Fills `buffer` with glibc's `arc4random_buf`: since glibc 2.36 (Debian 12) that is the
    /// `getrandom` system call, retried until the buffer is full; it blocks only before the
    /// kernel's pool is first seeded and never fails.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        arc4random_buf(buffer.baseAddress!, buffer.count)
    }
}
