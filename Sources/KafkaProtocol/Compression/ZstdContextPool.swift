import CZstd
import Synchronization

/// Reusable libzstd contexts. Creating a context allocates and initializes about a
/// megabyte of tables, which costs more than compressing a 16 KiB batch, so contexts are
/// kept and reused (as librdkafka and the Java client do).
///
/// At most ``capacity`` idle contexts of each kind are kept; a burst beyond that creates
/// and frees extra ones.
struct ZstdContextPool: ~Copyable {
    /// A context handed out by the pool; only one caller holds it at a time.
    // The pointer is owned by whoever took it from the pool (never shared): passing it
    // between threads is safe because libzstd contexts have no thread affinity.
    struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    static let capacity = 8
    static let shared = ZstdContextPool()

    private let compressors = Mutex<[Handle]>([])
    private let decompressors = Mutex<[Handle]>([])

    /// Runs `body` with a compression context, returned to the pool afterwards.
    func withCompressor<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        let handle = try compressors.withLock { $0.popLast() } ?? {
            guard let context = ZSTD_createCCtx() else { throw ProtocolError(.invalidValue, "zstd could not create a context") }
            return Handle(pointer: context)
        }()
        defer {
            let kept = compressors.withLock { idle -> Bool in
                guard idle.count < Self.capacity else { return false }
                idle.append(handle)
                return true
            }
            if !kept { ZSTD_freeCCtx(handle.pointer) }
        }
        return try body(handle.pointer)
    }

    /// Runs `body` with a decompression context reset to a new frame, returned to the pool
    /// afterwards.
    func withDecompressor<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        let handle = try decompressors.withLock { $0.popLast() } ?? {
            guard let context = ZSTD_createDCtx() else { throw ProtocolError(.corrupt, "zstd could not start a stream") }
            // Bound the decoder's window memory (128 MiB, zstd's default) explicitly.
            _ = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, 27)
            return Handle(pointer: context)
        }()
        defer {
            // A session reset keeps the parameters and drops any half-read frame.
            _ = ZSTD_DCtx_reset(handle.pointer, ZSTD_reset_session_only)
            let kept = decompressors.withLock { idle -> Bool in
                guard idle.count < Self.capacity else { return false }
                idle.append(handle)
                return true
            }
            if !kept { ZSTD_freeDCtx(handle.pointer) }
        }
        return try body(handle.pointer)
    }
}
