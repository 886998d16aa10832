import KafkaClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A task's `.checkpoint` file in Kafka Streams' text format: the version (`0`), the number
/// of entries, then one `<topic> <partition> <offset>` line per changelog partition, where
/// the offset is the last changelog record the local store contains.
///
/// Written atomically (a temporary file, `fsync`, `rename`), so a crash leaves either the
/// old or the new checkpoint, never a torn one.
public struct OffsetCheckpoint: Sendable {
    /// The file.
    public let path: String

    /// A checkpoint file at `path`.
    public init(path: String) { self.path = path }

    /// The offsets recorded, or empty if the file does not exist.
    /// - Throws: ``StreamsError`` (`stateIO`) naming the file if it is unreadable or malformed.
    public func read() throws -> [TopicPartition: Int64] {
        guard let file = fopen(path, "r") else {
            if errno == ENOENT { return [:] }
            throw failure("could not read", reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            text.append(contentsOf: chunk[0..<n])
        }
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count >= 2, let version = Int(lines[0]), let count = Int(lines[1]) else {
            throw failure("is malformed", reason: "expected a version line and a count line")
        }
        guard version == 0 else { throw failure("has unknown version \(version)", reason: "only version 0 is known") }
        guard lines.count - 2 == count else {
            throw failure("is malformed", reason: "it announces \(count) entries but holds \(lines.count - 2)")
        }
        var offsets: [TopicPartition: Int64] = [:]
        for line in lines.dropFirst(2) {
            let fields = line.split(separator: " ")
            guard fields.count == 3, let partition = Int32(fields[1]), let offset = Int64(fields[2]) else {
                throw failure("is malformed", reason: "bad line \"\(line)\"")
            }
            offsets[TopicPartition(String(fields[0]), partition)] = offset
        }
        return offsets
    }

    /// Replaces the file with these offsets (an empty map deletes it).
    /// - Throws: ``StreamsError`` (`stateIO`) naming the file if it cannot be written.
    public func write(_ offsets: [TopicPartition: Int64]) throws {
        if offsets.isEmpty {
            try delete()
            return
        }
        var text = "0\n\(offsets.count)\n"
        for (tp, offset) in offsets.sorted(by: { $0.key < $1.key }) { text += "\(tp.topic) \(tp.partition) \(offset)\n" }
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("could not be written", reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc_write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw failure("could not be written", reason: reason)
        }
    }

    /// Deletes the file (no error if it does not exist).
    /// - Throws: ``StreamsError`` (`stateIO`) if it exists and cannot be deleted.
    public func delete() throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw failure("could not be deleted", reason: String(cString: strerror(errno)))
        }
    }

    private func failure(_ what: String, reason: String) -> StreamsError {
        StreamsError(
            .stateIO,
            "the checkpoint file \(path) \(what) (\(reason)); delete it and the task's stores are restored "
                + "from their changelogs", context: .init(path: path))
    }
}

#if canImport(Glibc)
    private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { Glibc.write(fd, buffer, count) }
#else
    private func Glibc_write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { Darwin.write(fd, buffer, count) }
#endif
