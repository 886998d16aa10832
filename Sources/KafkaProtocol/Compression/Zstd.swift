import CZstd
import NIOCore

/// Zstandard through libzstd.
enum Zstd {
    static func compress(_ input: UnsafeRawBufferPointer, level: Int?, into output: inout ByteBuffer) throws {
        let level = level ?? 3
        guard level >= Int(ZSTD_minCLevel()), level <= Int(ZSTD_maxCLevel()) else {
            throw ProtocolError(.invalidValue, "zstd level \(level) is not in \(ZSTD_minCLevel())...\(ZSTD_maxCLevel())")
        }
        let bound = ZSTD_compressBound(input.count)
        var result = 0
        try ZstdContextPool.shared.withCompressor { context in
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { out in
                result = ZSTD_compressCCtx(context, out.baseAddress, out.count, input.baseAddress, input.count, Int32(level))
                return ZSTD_isError(result) != 0 ? 0 : result
            }
        }
        if ZSTD_isError(result) != 0 {
            throw ProtocolError(.invalidValue, "zstd compression failed: \(String(cString: ZSTD_getErrorName(result)))")
        }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, into output: inout DecompressionOutput) throws {
        try ZstdContextPool.shared.withDecompressor { stream in
            try decompress(input, with: stream, into: &output)
        }
    }

    private static func decompress(
        _ input: UnsafeRawBufferPointer, with stream: OpaquePointer, into output: inout DecompressionOutput
    ) throws {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var chunk = 64 * 1024
        let declared = ZSTD_getFrameContentSize(input.baseAddress, input.count)
        if declared < UInt64.max - 1 {  // neither ZSTD_CONTENTSIZE_UNKNOWN nor _ERROR
            try output.ensureAllowed(declared > UInt64(Int.max) ? Int.max : Int(declared))
            chunk = max(Int(declared), 1)
        }
        if input.count == 0 { throw ProtocolError(.corrupt, "zstd data is empty") }
        while true {
            var result = 0
            var produced = 0
            let room = try output.write(upTo: chunk) { out in
                var sink = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                result = ZSTD_decompressStream(stream, &sink, &source)
                produced = sink.pos
                return ZSTD_isError(result) != 0 ? 0 : sink.pos
            }
            if ZSTD_isError(result) != 0 {
                throw ProtocolError(.corrupt, "zstd data is corrupt: \(String(cString: ZSTD_getErrorName(result)))")
            }
            let inputDone = source.pos == source.size
            if result == 0 && inputDone { return }
            if inputDone && produced < room {
                throw ProtocolError(.corrupt, "zstd data ends before the end of its frame")
            }
            chunk = min(max(chunk, output.written), 8 * 1024 * 1024)
        }
    }
}
