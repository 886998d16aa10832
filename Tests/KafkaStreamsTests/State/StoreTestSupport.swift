import Testing

@testable import KafkaStreams

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The store backends the contract suite runs against.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case inMemory
    case rocksDB

    var testDescription: String { rawValue }
    var persistent: Bool { self == .rocksDB }
    var storeType: DSLStoreType { self == .rocksDB ? .rocksDB : .inMemory }

    func keyValue(_ name: String) -> KeyValueBytesStoreSupplier {
        self == .rocksDB ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name)
    }

    func window(_ name: String, retentionMs: Int64, sizeMs: Int64) -> WindowBytesStoreSupplier {
        self == .rocksDB
            ? Stores.persistentWindowStore(name, retention: .milliseconds(retentionMs), windowSize: .milliseconds(sizeMs))
            : Stores.inMemoryWindowStore(name, retention: .milliseconds(retentionMs), windowSize: .milliseconds(sizeMs))
    }

    func session(_ name: String, retentionMs: Int64) -> SessionBytesStoreSupplier {
        self == .rocksDB
            ? Stores.persistentSessionStore(name, retention: .milliseconds(retentionMs))
            : Stores.inMemorySessionStore(name, retention: .milliseconds(retentionMs))
    }
}

/// A temporary directory deleted when the value is deinitialized.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/kafka-streams-state-test-XXXXXX".utf8CString)
        _ = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit { StateDirectory.removeTree(path) }

    /// A store context for task 0_0 whose task directory is inside this directory.
    func context(task: TaskId = TaskId(subtopology: 0, partition: 0)) -> StateStoreContext {
        StateStoreContext(applicationID: "app", taskId: task, stateDirectory: "\(path)/\(task)")
    }

    /// The files under `relative`, recursively.
    func files(under relative: String) -> [String] {
        var result: [String] = []
        func walk(_ path: String) {
            for name in StateDirectory.list(path) {
                let full = path + "/" + name
                if StateDirectory.isDirectory(full) { walk(full) } else { result.append(full) }
            }
        }
        walk(self.path + "/" + relative)
        return result
    }
}

/// Runs `body`, which must throw a ``StreamsError``, and returns it.
func expectStreamsError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> StreamsError? {
    do {
        try body()
        Issue.record("expected a StreamsError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as StreamsError {
        return error
    } catch {
        Issue.record("expected a StreamsError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Every entry of a bytes key-value store, in order.
func entries(_ store: any KeyValueStore<[UInt8], [UInt8]>) throws -> [KeyValue<[UInt8], [UInt8]>] {
    try store.all().toArray()
}

/// The bytes store at the bottom of a layered store.
func innermost(_ store: any StateStore) -> any StateStore { store.layers.last! }

/// The UTF-8 bytes of a string.
func b(_ string: String) -> [UInt8] { Array(string.utf8) }
