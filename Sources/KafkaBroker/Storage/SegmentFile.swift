#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// A file read and written at explicit positions (`pread`/`pwrite`), owned by one log
/// segment. Errors are ``StorageError``s naming the path.
final class SegmentFile {
    let path: String
    private var fd: Int32

    /// Opens (creating if needed) the file for reading and writing.
    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StorageError.io("open", path: path, errno: errno) }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The file's size in bytes.
    func size() throws -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StorageError.io("fstat", path: path, errno: errno) }
        return Int(st.st_size)
    }

    /// Writes all of `buffer`'s readable bytes at `offset`.
    func write(_ buffer: ByteBuffer, at offset: Int) throws {
        try buffer.withUnsafeReadableBytes { raw in
            var done = 0
            while done < raw.count {
                let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StorageError.io("pwrite", path: path, errno: errno)
                }
                done += n
            }
        }
    }

    /// Reads up to `length` bytes at `offset`; fewer at the end of the file.
    func read(at offset: Int, length: Int) throws -> ByteBuffer {
        guard length > 0 else { return ByteBuffer() }
        var buffer = ByteBufferAllocator().buffer(capacity: length)
        let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { raw -> Int in
            var done = 0
            while done < length {
                let n = pread(fd, raw.baseAddress! + done, length - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StorageError.io("pread", path: path, errno: errno)
                }
                if n == 0 { break }
                done += n
            }
            return done
        }
        _ = got
        return buffer
    }

    /// Cuts the file to `size` bytes.
    func truncate(to size: Int) throws {
        guard ftruncate(fd, off_t(size)) == 0 else { throw StorageError.io("ftruncate", path: path, errno: errno) }
    }

    /// Forces written bytes to the device.
    func sync() throws {
        guard fsync(fd) == 0 else { throw StorageError.io("fsync", path: path, errno: errno) }
    }

    /// Closes the descriptor; later calls fail.
    func closeFile() {
        if fd >= 0 { close(fd) }
        fd = -1
    }
}
