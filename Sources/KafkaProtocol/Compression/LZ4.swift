import CLZ4
import NIOCore

/// LZ4 frames (the LZ4 frame format, magic `0x184D2204`), as Kafka uses them.
///
/// Compression goes through liblz4's frame API with Kafka's settings: 64 KiB independent
/// blocks, no content size, no checksums beyond the header's. Decompression parses frames
/// here and decodes each block with liblz4's bounds-checked block decoder, so that the
/// size limit holds and the broken header checksum of Kafka's legacy (magic 0) LZ4 can be
/// accepted when asked.
enum LZ4 {
    static let frameMagic: UInt32 = 0x184D_2204

    static func compress(_ input: UnsafeRawBufferPointer, level: Int?, into output: inout ByteBuffer) throws {
        let level = level ?? 9
        guard (1...17).contains(level) else {
            throw ProtocolError(.invalidValue, "lz4 level \(level) is not in 1...17")
        }
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        // Like Kafka's Java client: its default level (9) uses the fast compressor.
        preferences.compressionLevel = level == 9 ? 0 : (level < 3 ? 0 : Int32(level))
        let bound = LZ4F_compressFrameBound(input.count, &preferences)
        var result = 0
        output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { out in
            result = LZ4F_compressFrame(out.baseAddress, out.count, input.baseAddress, input.count, &preferences)
            return LZ4F_isError(result) != 0 ? 0 : result
        }
        if LZ4F_isError(result) != 0 {
            throw ProtocolError(.invalidValue, "lz4 compression failed: \(String(cString: LZ4F_getErrorName(result)))")
        }
    }

    static func decompress(
        _ input: UnsafeRawBufferPointer,
        into output: inout DecompressionOutput,
        lenientHeaderChecksum: Bool
    ) throws {
        if input.count == 0 { throw ProtocolError(.corrupt, "lz4 data is empty") }
        var offset = 0
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: input.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        func need(_ count: Int, _ what: String) throws {
            if input.count - offset < count { throw ProtocolError(.corrupt, "lz4 \(what) is truncated") }
        }
        while offset < input.count {
            try need(4, "frame magic")
            let magic = u32(offset)
            if magic & 0xFFFF_FFF0 == 0x184D_2A50 {  // skippable frame
                try need(8, "skippable frame")
                let size = Int(u32(offset + 4))
                offset += 8
                try need(size, "skippable frame")
                offset += size
                continue
            }
            guard magic == frameMagic else {
                throw ProtocolError(.corrupt, "lz4 frame magic is 0x\(String(magic, radix: 16)), not 0x184d2204")
            }
            try need(7, "frame header")
            let flags = input[offset + 4]
            let blockDescriptor = input[offset + 5]
            guard flags >> 6 == 1 else { throw ProtocolError(.corrupt, "lz4 frame version \(flags >> 6) is not 1") }
            guard flags & 0x02 == 0, blockDescriptor & 0x8F == 0 else {
                throw ProtocolError(.corrupt, "lz4 frame header has reserved bits set")
            }
            let independent = flags & 0x20 != 0
            let blockChecksums = flags & 0x10 != 0
            let hasContentSize = flags & 0x08 != 0
            let contentChecksum = flags & 0x04 != 0
            let hasDictionary = flags & 0x01 != 0
            let sizeID = Int(blockDescriptor >> 4) & 0x7
            guard sizeID >= 4 else { throw ProtocolError(.corrupt, "lz4 block size id \(sizeID) is invalid") }
            let blockMax = 1 << (2 * sizeID + 8)
            let descriptorSize = 2 + (hasContentSize ? 8 : 0) + (hasDictionary ? 4 : 0)
            try need(4 + descriptorSize + 1, "frame header")
            let stored = input[offset + 4 + descriptorSize]
            let descriptor = UnsafeRawBufferPointer(rebasing: input[(offset + 4)..<(offset + 4 + descriptorSize)])
            if UInt8(truncatingIfNeeded: XXHash32.hash(descriptor) >> 8) != stored {
                // Kafka's magic-0 LZ4 hashed the magic number too.
                let broken = UnsafeRawBufferPointer(rebasing: input[offset..<(offset + 4 + descriptorSize)])
                guard lenientHeaderChecksum, UInt8(truncatingIfNeeded: XXHash32.hash(broken) >> 8) == stored else {
                    throw ProtocolError(.corrupt, "lz4 frame header checksum does not match")
                }
            }
            if hasDictionary { throw ProtocolError(.invalidValue, "lz4 frames with a dictionary are not supported") }
            var contentSize: UInt64?
            if hasContentSize {
                let size = UInt64(littleEndian: input.loadUnaligned(fromByteOffset: offset + 6, as: UInt64.self))
                try output.ensureAllowed(size > UInt64(Int.max) ? Int.max : Int(size))
                contentSize = size
            }
            offset += 4 + descriptorSize + 1
            let frameStart = output.written
            while true {
                try need(4, "block size")
                let word = u32(offset)
                offset += 4
                if word == 0 { break }  // end mark
                let size = Int(word & 0x7FFF_FFFF)
                guard size <= blockMax else {
                    throw ProtocolError(.corrupt, "lz4 block of \(size) bytes exceeds the frame's block size \(blockMax)")
                }
                try need(size + (blockChecksums ? 4 : 0), "block")
                let block = UnsafeRawBufferPointer(rebasing: input[offset..<(offset + size)])
                offset += size
                if blockChecksums {
                    guard XXHash32.hash(block) == u32(offset) else {
                        throw ProtocolError(.corrupt, "lz4 block checksum does not match")
                    }
                    offset += 4
                }
                if word & 0x8000_0000 != 0 {
                    try output.append(block)
                    continue
                }
                let fullRoom = blockMax <= output.remainingAllowance
                let dictionarySize = independent ? 0 : min(64 * 1024, output.written - frameStart)
                var decoded: Int32 = 0
                try output.write(upTo: blockMax) { out in
                    let destination = out.baseAddress!.assumingMemoryBound(to: CChar.self)
                    let source = block.baseAddress?.assumingMemoryBound(to: CChar.self)
                    if dictionarySize == 0 {
                        decoded = LZ4_decompress_safe(source, destination, Int32(size), Int32(out.count))
                    } else {
                        decoded = LZ4_decompress_safe_usingDict(
                            source, destination, Int32(size), Int32(out.count),
                            destination - dictionarySize, Int32(dictionarySize))
                    }
                    return max(Int(decoded), 0)
                }
                if decoded < 0 {
                    if !fullRoom { throw DecompressionOutput.oversized(output.codec, output.limit) }
                    throw ProtocolError(.corrupt, "lz4 block is corrupt")
                }
            }
            if contentChecksum {
                try need(4, "content checksum")
                let expected = u32(offset)
                offset += 4
                let actual = output.buffer.withUnsafeReadableBytes { all in
                    let begin = output.start - output.buffer.readerIndex + frameStart
                    return XXHash32.hash(UnsafeRawBufferPointer(rebasing: all[begin...]))
                }
                guard actual == expected else { throw ProtocolError(.corrupt, "lz4 content checksum does not match") }
            }
            if let contentSize, UInt64(output.written - frameStart) != contentSize {
                throw ProtocolError(
                    .corrupt, "lz4 frame holds \(output.written - frameStart) bytes, its header says \(contentSize)")
            }
        }
    }
}
