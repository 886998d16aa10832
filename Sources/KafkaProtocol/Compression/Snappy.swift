import CSnappy
import NIOCore

/// Snappy through libsnappy. Writes Kafka's xerial framing; reads framed or raw blocks.
///
/// xerial framing: 8 magic bytes `82 'S' 'N' 'A' 'P' 'P' 'Y' 00`, int32 version (1),
/// int32 oldest compatible version (1), then blocks of `[int32 length][raw snappy block]`,
/// all big-endian.
enum Snappy {
    static let magic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    static let headerSize = 16
    /// The block size of xerial's `SnappyOutputStream`, which Kafka's Java producer uses.
    static let blockSize = 32 * 1024

    static func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws {
        output.writeBytes(magic)
        output.writeInteger(Int32(1))
        output.writeInteger(Int32(1))
        var offset = 0
        while offset < input.count {
            let length = min(blockSize, input.count - offset)
            let block = UnsafeRawBufferPointer(rebasing: input[offset..<(offset + length)])
            let bound = snappy_max_compressed_length(length)
            let lengthIndex = output.writerIndex
            output.writeInteger(Int32(0))
            var status = SNAPPY_OK
            let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { out in
                var size = out.count
                status = snappy_compress(
                    block.baseAddress?.assumingMemoryBound(to: CChar.self), length,
                    out.baseAddress?.assumingMemoryBound(to: CChar.self), &size)
                return status == SNAPPY_OK ? size : 0
            }
            guard status == SNAPPY_OK else { throw ProtocolError(.invalidValue, "snappy compression failed") }
            output.setInteger(Int32(written), at: lengthIndex)
            offset += length
        }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, into output: inout DecompressionOutput) throws {
        guard isFramed(input, at: 0) else {
            try decompressBlock(input, into: &output)
            return
        }
        var offset = headerSize
        while offset < input.count {
            // Concatenated xerial streams repeat the header.
            if isFramed(input, at: offset) {
                offset += headerSize
                continue
            }
            guard input.count - offset >= 4 else {
                throw ProtocolError(.corrupt, "snappy block length is truncated")
            }
            let length = Int(Int32(bigEndian: input.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
            offset += 4
            guard length >= 0, length <= input.count - offset else {
                throw ProtocolError(
                    .corrupt, "snappy block of \(length) bytes does not fit in the \(input.count - offset) bytes left")
            }
            try decompressBlock(UnsafeRawBufferPointer(rebasing: input[offset..<(offset + length)]), into: &output)
            offset += length
        }
    }

    private static func isFramed(_ input: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard input.count - offset >= headerSize else { return false }
        for i in 0..<magic.count where input[offset + i] != magic[i] { return false }
        return true
    }

    private static func decompressBlock(_ block: UnsafeRawBufferPointer, into output: inout DecompressionOutput) throws {
        let source = block.baseAddress?.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard snappy_uncompressed_length(source, block.count, &length) == SNAPPY_OK else {
            throw ProtocolError(.corrupt, "snappy block has an invalid length header")
        }
        try output.ensureAllowed(length)
        if length == 0 {
            guard snappy_validate_compressed_buffer(source, block.count) == SNAPPY_OK else {
                throw ProtocolError(.corrupt, "snappy block is corrupt")
            }
            return
        }
        var status = SNAPPY_OK
        try output.write(upTo: length) { out in
            var size = out.count
            status = snappy_uncompress(source, block.count, out.baseAddress?.assumingMemoryBound(to: CChar.self), &size)
            return status == SNAPPY_OK ? size : 0
        }
        guard status == SNAPPY_OK else { throw ProtocolError(.corrupt, "snappy block is corrupt") }
    }
}
