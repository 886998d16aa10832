import CZlib
import NIOCore

/// gzip through zlib: RFC 1952 members, as Kafka's Java client writes them.
enum Gzip {
    static func compress(_ input: UnsafeRawBufferPointer, level: Int?, into output: inout ByteBuffer) throws {
        let level = level ?? 6
        guard (1...9).contains(level) || level == -1 else {
            throw ProtocolError(.invalidValue, "gzip level \(level) is not in 1...9")
        }
        var stream = z_stream()
        guard czlib_deflate_init2(&stream, Int32(level), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            throw ProtocolError(.invalidValue, "zlib could not start a gzip stream at level \(level)")
        }
        defer { deflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        var chunk = Int(deflateBound(&stream, uLong(input.count)))
        while true {
            var status: Int32 = Z_OK
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: chunk) { out in
                let room = min(out.count, Int(UInt32.max))
                stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(room)
                status = deflate(&stream, Z_FINISH)
                return room - Int(stream.avail_out)
            }
            if status == Z_STREAM_END { return }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw ProtocolError(.invalidValue, "zlib deflate failed with status \(status)")
            }
            chunk = 64 * 1024
        }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, into output: inout DecompressionOutput) throws {
        var stream = z_stream()
        guard czlib_inflate_init2(&stream, 15 + 32) == Z_OK else {
            throw ProtocolError(.corrupt, "zlib could not start a gzip stream")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        // The gzip trailer holds the size mod 2^32: a hint for the first allocation only.
        var chunk = 32 * 1024
        if input.count >= 18 {
            let hint = Int(UInt32(littleEndian: input.loadUnaligned(fromByteOffset: input.count - 4, as: UInt32.self)))
            chunk = max(chunk, min(hint, 16 * 1024 * 1024))
        }
        while true {
            var status: Int32 = Z_OK
            try output.write(upTo: chunk) { out in
                stream.next_out = out.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                status = inflate(&stream, Z_NO_FLUSH)
                return out.count - Int(stream.avail_out)
            }
            switch status {
            case Z_STREAM_END:
                // Several gzip members may follow one another; anything else after a member
                // is ignored, as Java's GZIPInputStream does.
                let left = Int(stream.avail_in)
                guard left >= 2, let next = stream.next_in, next[0] == 0x1F, next[1] == 0x8B else { return }
                guard inflateReset(&stream) == Z_OK else {
                    throw ProtocolError(.corrupt, "zlib could not start the next gzip member")
                }
            case Z_OK:
                break
            case Z_BUF_ERROR:
                if stream.avail_in == 0 && stream.avail_out != 0 {
                    throw ProtocolError(.corrupt, "gzip data ends before the end of its stream")
                }
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw ProtocolError(.corrupt, "gzip data is corrupt: \(detail)")
            }
            chunk = min(max(chunk, output.written), 8 * 1024 * 1024)
        }
    }
}
