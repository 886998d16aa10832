import Testing

@testable import KafkaStreams

/// A tiny deterministic PRNG (SplitMix64) so the randomized tests are reproducible.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Reference model: a dictionary plus a sorted key list using the same bytewise order.
private struct ReferenceMap {
    var dict: [[UInt8]: [UInt8]] = [:]
    var sortedKeys: [[UInt8]] = []

    private func lowerBound(_ key: [UInt8]) -> Int {
        var lo = 0
        var hi = sortedKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ByteOrderedMap.compare(sortedKeys[mid], key) < 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    mutating func put(_ key: [UInt8], _ value: [UInt8]) -> [UInt8]? {
        let old = dict.updateValue(value, forKey: key)
        if old == nil { sortedKeys.insert(key, at: lowerBound(key)) }
        return old
    }

    mutating func remove(_ key: [UInt8]) -> [UInt8]? {
        guard let old = dict.removeValue(forKey: key) else { return nil }
        sortedKeys.remove(at: lowerBound(key))
        return old
    }

    func range(from: [UInt8]?, to: [UInt8]?, reverse: Bool) -> [(key: [UInt8], value: [UInt8])] {
        var result: [(key: [UInt8], value: [UInt8])] = []
        for key in sortedKeys {
            if let from, ByteOrderedMap.compare(key, from) < 0 { continue }
            if let to, ByteOrderedMap.compare(key, to) > 0 { break }
            result.append((key, dict[key]!))
        }
        return reverse ? result.reversed() : result
    }

    func prefixed(_ prefix: [UInt8]) -> [(key: [UInt8], value: [UInt8])] {
        sortedKeys.filter { $0.starts(with: prefix) }.map { ($0, dict[$0]!) }
    }
}

private func same(_ a: [(key: [UInt8], value: [UInt8])], _ b: [(key: [UInt8], value: [UInt8])]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
}

/// Random keys biased towards interesting bytes (0x00, 0x01, 0x7F, 0x80, 0xFF) and short
/// lengths, so that prefixes, signedness and equal keys all occur often. A quarter are longer
/// keys sharing a few 7–9 byte stems, so comparisons that tie on the first 8 bytes occur too.
private func randomKey(_ rng: inout SplitMix64) -> [UInt8] {
    let special: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF]
    let stems: [[UInt8]] = [
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0x01, 0x7F, 0x80, 0xFF, 0, 1, 2, 3],
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        [0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01],
    ]
    func byte() -> UInt8 {
        Bool.random(using: &rng) ? special.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
    }
    if Int.random(in: 0..<4, using: &rng) == 0 {
        return stems.randomElement(using: &rng)! + (0..<Int.random(in: 0...4, using: &rng)).map { _ in byte() }
    }
    return (0..<Int.random(in: 0...6, using: &rng)).map { _ in byte() }
}

private func randomValue(_ rng: inout SplitMix64) -> [UInt8] {
    (0..<Int.random(in: 0...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
}

/// Compares every observable aspect of `map` with `ref`.
private func checkAgainstReference(_ map: ByteOrderedMap, _ ref: ReferenceMap, _ rng: inout SplitMix64) {
    #expect(map.validate() == nil)
    #expect(map.count == ref.dict.count)
    #expect(map.isEmpty == ref.dict.isEmpty)

    // Full scans.
    let all = ref.range(from: nil, to: nil, reverse: false)
    #expect(same(map.entries(from: nil, to: nil, reverse: false), all))
    #expect(same(map.entries(from: nil, to: nil, reverse: true), all.reversed()))
    #expect(map.first()?.key == all.first?.key)
    #expect(map.first()?.value == all.first?.value)
    #expect(map.last()?.key == all.last?.key)
    #expect(map.last()?.value == all.last?.value)

    // Point lookups of present keys.
    for key in ref.sortedKeys.shuffled(using: &rng).prefix(50) {
        #expect(map.get(key) == ref.dict[key])
    }

    // Bounded ranges: bounds are existing keys, random keys or nil.
    func bound() -> [UInt8]? {
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return nil
        case 1, 2: return ref.sortedKeys.randomElement(using: &rng) ?? randomKey(&rng)
        default: return randomKey(&rng)
        }
    }
    for _ in 0..<10 {
        let from = bound()
        let to = bound()
        for reverse in [false, true] {
            let expected = ref.range(from: from, to: to, reverse: reverse)
            #expect(same(map.entries(from: from, to: to, reverse: reverse), expected))

            // Early stop: forEach must visit exactly the first `limit` entries.
            let limit = Int.random(in: 0...20, using: &rng)
            var visited: [(key: [UInt8], value: [UInt8])] = []
            map.forEach(from: from, to: to, reverse: reverse) { key, value in
                if visited.count == limit { return false }
                visited.append((key, value))
                return true
            }
            #expect(same(visited, Array(expected.prefix(limit))))
        }
    }

    // Prefix scans, including the empty prefix.
    for _ in 0..<5 {
        let prefix: [UInt8]
        if let key = ref.sortedKeys.randomElement(using: &rng), Bool.random(using: &rng) {
            prefix = Array(key.prefix(Int.random(in: 0...key.count, using: &rng)))
        } else {
            prefix = Array(randomKey(&rng).prefix(2))
        }
        #expect(same(map.entries(withPrefix: prefix), ref.prefixed(prefix)))
    }
}

@Suite struct ByteOrderedMapTests {
    @Test func emptyMap() {
        var map = ByteOrderedMap()
        #expect(map.count == 0)
        #expect(map.isEmpty)
        #expect(map.get([1]) == nil)
        #expect(map.get([]) == nil)
        #expect(map.first() == nil)
        #expect(map.last() == nil)
        #expect(map.entries(from: nil, to: nil, reverse: false).isEmpty)
        #expect(map.entries(from: [0], to: [9], reverse: true).isEmpty)
        #expect(map.entries(withPrefix: [1]).isEmpty)
        #expect(map.remove([1]) == nil)
        map.removeAll()
        #expect(map.isEmpty)
        #expect(map.validate() == nil)
    }

    @Test func compareIsBytewiseUnsignedThenLength() {
        #expect(ByteOrderedMap.compare([], []) == 0)
        #expect(ByteOrderedMap.compare([], [0x00]) < 0)
        #expect(ByteOrderedMap.compare([0x01], [0x01, 0x00]) < 0)
        #expect(ByteOrderedMap.compare([0x01, 0x00], [0x02]) < 0)
        #expect(ByteOrderedMap.compare([0x7F], [0x80]) < 0)
        #expect(ByteOrderedMap.compare([0x80], [0x7F]) > 0)
        #expect(ByteOrderedMap.compare([0xFF], [0x00, 0x00]) > 0)
        #expect(ByteOrderedMap.compare([1, 2, 3], [1, 2, 3]) == 0)
        #expect(ByteOrderedMap.compare([1, 2, 4], [1, 2, 3]) > 0)
        let long: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        #expect(ByteOrderedMap.compare(long + [0x7F], long + [0x80]) < 0)
        #expect(ByteOrderedMap.compare(long, long + [0x00]) < 0)
        #expect(ByteOrderedMap.compare(long + [9, 9], long + [9, 9]) == 0)
    }

    @Test func cachedPrefixCompareAgreesWithBytewiseCompare() {
        // The tree compares keys through an 8-byte cached prefix; it must agree in sign with
        // the plain bytewise comparison, including on ties within the first 8 bytes.
        var rng = SplitMix64(seed: 7)
        func sign(_ x: Int) -> Int { x < 0 ? -1 : (x > 0 ? 1 : 0) }
        for _ in 0..<20_000 {
            let a = randomKey(&rng)
            let b = Bool.random(using: &rng) ? randomKey(&rng) : a + randomKey(&rng).prefix(2)
            let expected = sign(ByteOrderedMap.compare(a, b))
            #expect(sign(ByteOrderedMap.compare(ByteOrderedMap.Key(a), ByteOrderedMap.Key(b))) == expected)
            #expect(sign(ByteOrderedMap.compare(ByteOrderedMap.Key(b), ByteOrderedMap.Key(a))) == -expected)
        }
    }

    @Test func bytewiseOrder() {
        var map = ByteOrderedMap()
        let keys: [[UInt8]] = [[0x02], [0x80], [0x01, 0x00], [0x7F], [0x01], [], [0xFF, 0x00], [0xFF], [0x7F, 0, 0, 0, 0, 0, 0, 0, 0x80], [0x7F, 0, 0, 0, 0, 0, 0, 0, 0x7F]]
        for (i, key) in keys.enumerated() { map.put(key, [UInt8(i)]) }
        let ordered = map.entries(from: nil, to: nil, reverse: false).map(\.key)
        #expect(ordered == [[], [0x01], [0x01, 0x00], [0x02], [0x7F], [0x7F, 0, 0, 0, 0, 0, 0, 0, 0x7F], [0x7F, 0, 0, 0, 0, 0, 0, 0, 0x80], [0x80], [0xFF], [0xFF, 0x00]])
        #expect(map.entries(from: nil, to: nil, reverse: true).map(\.key) == ordered.reversed())
        #expect(map.first()! == ([], [5]))
        #expect(map.last()! == ([0xFF, 0x00], [6]))
        // Inclusive bounds.
        #expect(map.entries(from: [0x01], to: [0x7F], reverse: false).map(\.key) == [[0x01], [0x01, 0x00], [0x02], [0x7F]])
        #expect(map.entries(from: [0x01], to: [0x7F], reverse: true).map(\.key) == [[0x7F], [0x02], [0x01, 0x00], [0x01]])
        // Bounds that are not keys.
        #expect(map.entries(from: [0x01, 0x00, 0x00], to: [0x7F, 0x00], reverse: false).map(\.key) == [[0x02], [0x7F]])
        #expect(map.entries(from: [0x7F, 0, 0, 0, 0, 0, 0, 0, 0x7F, 0], to: [0x80, 0x00], reverse: false).map(\.key) == [[0x7F, 0, 0, 0, 0, 0, 0, 0, 0x80], [0x80]])
        // Empty range when from > to.
        #expect(map.entries(from: [0x80], to: [0x02], reverse: false).isEmpty)
        #expect(map.entries(from: [0x80], to: [0x02], reverse: true).isEmpty)
        // Prefix scans.
        #expect(map.entries(withPrefix: [0x01]).map(\.key) == [[0x01], [0x01, 0x00]])
        #expect(map.entries(withPrefix: [0xFF]).map(\.key) == [[0xFF], [0xFF, 0x00]])
        #expect(map.entries(withPrefix: [0x7F, 0]).map(\.key) == [[0x7F, 0, 0, 0, 0, 0, 0, 0, 0x7F], [0x7F, 0, 0, 0, 0, 0, 0, 0, 0x80]])
        #expect(map.entries(withPrefix: [0x03]).isEmpty)
        #expect(map.entries(withPrefix: []).count == keys.count)
    }

    @Test func putReturnsOldValueAndRemove() {
        var map = ByteOrderedMap()
        #expect(map.put([1], [10]) == nil)
        #expect(map.put([1], [11]) == [10])
        #expect(map.count == 1)
        #expect(map.get([1]) == [11])
        #expect(map.put([], []) == nil)
        #expect(map.get([]) == [])
        #expect(map.count == 2)
        #expect(map.remove([2]) == nil)
        #expect(map.remove([1]) == [11])
        #expect(map.remove([1]) == nil)
        #expect(map.remove([]) == [])
        #expect(map.isEmpty)
    }

    @Test func sequentialInsertAndRemoveKeepTreeValid() {
        var map = ByteOrderedMap()
        let n = 10_000
        func key(_ i: Int) -> [UInt8] { [UInt8(i >> 8), UInt8(i & 0xFF)] }
        for i in 0..<n { map.put(key(i), [UInt8(i & 0xFF)]) }
        #expect(map.validate() == nil)
        #expect(map.count == n)
        #expect(map.entries(from: nil, to: nil, reverse: false).map(\.key) == (0..<n).map(key))
        // Remove from the front, then from the back, forcing borrows and merges on both sides.
        for i in 0..<(n / 2) { #expect(map.remove(key(i)) != nil) }
        #expect(map.validate() == nil)
        for i in stride(from: n - 1, through: n / 2, by: -1) { #expect(map.remove(key(i)) != nil) }
        #expect(map.validate() == nil)
        #expect(map.isEmpty)
        #expect(map.first() == nil)
    }

    @Test func copyOnWrite() {
        var original = ByteOrderedMap()
        for i in 0..<5_000 { original.put([UInt8(i >> 8), UInt8(i & 0xFF)], [1]) }
        let snapshot = original.entries(from: nil, to: nil, reverse: false)

        var copy = original
        copy.put([0x00, 0x00], [2])  // replace
        copy.put([0xFF], [3])  // insert
        for i in stride(from: 0, to: 5_000, by: 3) { copy.remove([UInt8(i >> 8), UInt8(i & 0xFF)]) }
        copy.remove([0x99])  // absent key on a shared tree

        #expect(same(original.entries(from: nil, to: nil, reverse: false), snapshot))
        #expect(original.count == 5_000)
        #expect(original.get([0x00, 0x00]) == [1])
        #expect(original.get([0xFF]) == nil)
        #expect(original.validate() == nil)
        #expect(copy.validate() == nil)
        #expect(copy.get([0xFF]) == [3])
        #expect(copy.count == 5_000 - 1_667 + 1)

        // Mutating the original leaves the copy alone too.
        let copyBefore = copy.entries(from: nil, to: nil, reverse: false)
        original.removeAll()
        #expect(original.isEmpty)
        #expect(same(copy.entries(from: nil, to: nil, reverse: false), copyBefore))
    }

    @Test func forEachStopsAndRethrows() throws {
        struct Stop: Error {}
        var map = ByteOrderedMap()
        for i in 0..<200 { map.put([UInt8(i)], []) }
        var seen: [UInt8] = []
        map.forEach(from: [10], to: nil, reverse: false) { key, _ in
            seen.append(key[0])
            return seen.count < 3
        }
        #expect(seen == [10, 11, 12])
        seen = []
        map.forEach(from: nil, to: [10], reverse: true) { key, _ in
            seen.append(key[0])
            return seen.count < 3
        }
        #expect(seen == [10, 9, 8])
        #expect(throws: Stop.self) {
            try map.forEach(from: nil, to: nil, reverse: false) { key, _ in
                if key == [100] { throw Stop() }
                return true
            }
        }
    }

    @Test func largeRandomRemovalRebalancesInternalNodes() {
        // Enough entries for dozens of internal nodes, so internal borrows (both sides) and
        // merges happen, not just leaf-level ones.
        var rng = SplitMix64(seed: 42)
        let n = 60_000
        func key(_ i: Int) -> [UInt8] { [UInt8(i >> 16), UInt8((i >> 8) & 0xFF), UInt8(i & 0xFF)] }
        var map = ByteOrderedMap()
        for i in (0..<n).shuffled(using: &rng) { map.put(key(i), key(i)) }
        #expect(map.validate() == nil)
        var present = Array(repeating: true, count: n)
        for (step, i) in (0..<n).shuffled(using: &rng).enumerated() {
            #expect(map.remove(key(i)) == key(i))
            present[i] = false
            if step % 5_000 == 0 {
                #expect(map.validate() == nil)
                let expected = (0..<n).filter { present[$0] }.map(key)
                #expect(map.entries(from: nil, to: nil, reverse: false).map(\.key) == expected)
                let lo = Int.random(in: 0..<n, using: &rng)
                let hi = min(n - 1, lo + 3_000)
                #expect(map.entries(from: key(lo), to: key(hi), reverse: true).map(\.key) == (lo...hi).filter { present[$0] }.reversed().map(key))
            }
        }
        #expect(map.isEmpty)
        #expect(map.validate() == nil)
    }

    @Test func randomizedDifferential() {
        var rng = SplitMix64(seed: 0x5EED_1234_ABCD_0042)
        var map = ByteOrderedMap()
        var ref = ReferenceMap()
        var snapshot: (map: ByteOrderedMap, ref: ReferenceMap)? = nil

        // Growth phase: mostly puts, with removes and lookups of present and absent keys.
        for step in 1...16_000 {
            let op = Int.random(in: 0..<10, using: &rng)
            let key: [UInt8]
            if Int.random(in: 0..<3, using: &rng) == 0, let existing = ref.sortedKeys.randomElement(using: &rng) {
                key = existing
            } else {
                key = randomKey(&rng)
            }
            switch op {
            case 0..<6:
                let value = randomValue(&rng)
                #expect(map.put(key, value) == ref.put(key, value))
            case 6..<8:
                #expect(map.remove(key) == ref.remove(key))
            default:
                #expect(map.get(key) == ref.dict[key])
            }
            if step % 1_000 == 0 { checkAgainstReference(map, ref, &rng) }
            if step == 8_000 { snapshot = (map, ref) }
        }
        // Deep enough that internal nodes split, borrow and merge too (three or more levels).
        var height = 1
        var node = map.root
        while !node.isLeaf { node = node.children[0]; height += 1 }
        #expect(height >= 3)

        // Shrink phase: remove every key in random order down to empty.
        let order = ref.sortedKeys.shuffled(using: &rng)
        for (i, key) in order.enumerated() {
            #expect(map.remove(key) == ref.remove(key))
            #expect(map.get(key) == nil)
            if i % 500 == 0 { checkAgainstReference(map, ref, &rng) }
        }
        checkAgainstReference(map, ref, &rng)
        #expect(map.isEmpty)
        #expect(map.first() == nil && map.last() == nil)

        // The snapshot taken mid-way is unaffected by all later mutations (copy-on-write).
        if let snapshot {
            checkAgainstReference(snapshot.map, snapshot.ref, &rng)
        }
    }
}
