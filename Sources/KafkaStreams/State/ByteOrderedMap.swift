#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An in-memory ordered map from byte-array keys to byte-array values.
///
/// Keys are ordered bytewise: unsigned lexicographic comparison, and a key that is a proper
/// prefix of another sorts first — exactly like Java Kafka's `Bytes` comparator
/// (`memcmp` over the common length, then the shorter key first).
///
/// The map is a B+tree (fan-out 64) whose nodes live in final classes. It has value semantics
/// with copy-on-write: copying a map is O(1), and the first mutation of a copy copies only the
/// nodes on the path it touches. It is the storage of the in-memory key-value store.
public struct ByteOrderedMap: Sendable {
    @usableFromInline var root: Node
    @usableFromInline var _count: Int

    /// Creates an empty map.
    ///
    /// - Complexity: O(1).
    public init() {
        root = Node(leafKeys: [], values: [])
        _count = 0
    }

    /// The number of entries in the map.
    ///
    /// - Complexity: O(1).
    @inlinable public var count: Int { _count }

    /// Whether the map has no entries.
    ///
    /// - Complexity: O(1).
    @inlinable public var isEmpty: Bool { _count == 0 }

    // MARK: - Comparison

    /// Compares two byte arrays bytewise: unsigned lexicographic order over the common length,
    /// then the shorter array first.
    ///
    /// - Returns: A negative number if `a < b`, zero if they are equal, a positive number if
    ///   `a > b`.
    /// - Complexity: O(min(`a.count`, `b.count`)).
    public static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let n = Swift.min(a.count, b.count)
        if n > 0 {
            let r = a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    Self.compareBytes(pa.baseAddress!, pb.baseAddress!, n)
                }
            }
            if r != 0 { return r }
        }
        return a.count - b.count
    }

    /// Compares two keys: the cached 8-byte prefixes first, the remaining bytes on a tie.
    @inline(__always)
    static func compare(_ a: Key, _ b: Key) -> Int {
        if a.prefix != b.prefix { return a.prefix < b.prefix ? -1 : 1 }
        // Equal prefixes: the first min(8, length) bytes are equal.
        let n = Swift.min(a.bytes.count, b.bytes.count)
        if n > 8 {
            let r = a.bytes.withUnsafeBufferPointer { pa in
                b.bytes.withUnsafeBufferPointer { pb in
                    Self.compareBytes(pa.baseAddress! + 8, pb.baseAddress! + 8, n - 8)
                }
            }
            if r != 0 { return r }
        }
        return a.bytes.count - b.bytes.count
    }

    @inline(__always)
    static func compareBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
        #if canImport(Darwin) || canImport(Glibc) || canImport(Musl)
        return Int(memcmp(a, b, n))
        #else
        for i in 0..<n where a[i] != b[i] {
            return a[i] < b[i] ? -1 : 1
        }
        return 0
        #endif
    }

    // MARK: - Point operations

    /// Returns the value stored for `key`, or `nil` if there is none.
    ///
    /// - Complexity: O(log n) comparisons.
    public func get(_ key: [UInt8]) -> [UInt8]? {
        let key = Key(key)
        return withExtendedLifetime(root) {
            // `root` (and so every node below it) stays alive for the whole descent, and `self`
            // cannot change meanwhile, so unretained node references are safe here.
            unowned(unsafe) var node = root
            while !node.isLeaf {
                node = node.children[node.childIndex(for: key)]
            }
            let (index, found) = node.search(key)
            return found ? node.values[index] : nil
        }
    }

    /// Stores `value` for `key`, replacing any existing value.
    ///
    /// - Returns: The value previously stored for `key`, or `nil` if there was none.
    /// - Complexity: O(log n) comparisons (amortized; node copies on first mutation of a
    ///   shared copy).
    @discardableResult
    public mutating func put(_ key: [UInt8], _ value: [UInt8]) -> [UInt8]? {
        if !isKnownUniquelyReferenced(&root) { root = root.copy() }
        let (old, split) = root.insert(Key(key), value)
        if let (separator, right) = split {
            root = Node(internalKeys: [separator], children: [root, right])
        }
        if old == nil { _count += 1 }
        return old
    }

    /// Removes the entry for `key`, if any.
    ///
    /// - Returns: The removed value, or `nil` if `key` was not present.
    /// - Complexity: O(log n) comparisons (amortized; node copies on first mutation of a
    ///   shared copy).
    @discardableResult
    public mutating func remove(_ key: [UInt8]) -> [UInt8]? {
        // Avoid copying a shared tree when the key is absent.
        guard _count > 0 else { return nil }
        let key = Key(key)
        if !isKnownUniquelyReferenced(&root) {
            guard root.contains(key) else { return nil }
            root = root.copy()
        }
        guard let old = root.remove(key) else { return nil }
        _count -= 1
        if !root.isLeaf && root.children.count == 1 {
            root = root.children[0]
        }
        return old
    }

    /// Removes all entries.
    ///
    /// - Complexity: O(n) to free the entries, or O(1) if the nodes are still shared with a
    ///   copy of the map.
    public mutating func removeAll() {
        root = Node(leafKeys: [], values: [])
        _count = 0
    }

    // MARK: - Ordered access

    /// The entry with the smallest key, or `nil` if the map is empty.
    ///
    /// - Complexity: O(log n).
    public func first() -> (key: [UInt8], value: [UInt8])? {
        var node = root
        while !node.isLeaf { node = node.children[0] }
        guard let key = node.keys.first else { return nil }
        return (key.bytes, node.values[0])
    }

    /// The entry with the largest key, or `nil` if the map is empty.
    ///
    /// - Complexity: O(log n).
    public func last() -> (key: [UInt8], value: [UInt8])? {
        var node = root
        while !node.isLeaf { node = node.children[node.children.count - 1] }
        guard let key = node.keys.last else { return nil }
        return (key.bytes, node.values[node.values.count - 1])
    }

    /// Visits the entries whose keys lie in `from...to`, in key order, until `body` returns
    /// `false`. No intermediate array is built.
    ///
    /// - Parameters:
    ///   - from: The inclusive lower bound, or `nil` for no lower bound.
    ///   - to: The inclusive upper bound, or `nil` for no upper bound.
    ///   - reverse: Visit in descending key order instead of ascending.
    ///   - body: Called with each key and value; return `false` to stop.
    /// - Complexity: O(log n + k) for k visited entries.
    public func forEach(
        from: [UInt8]? = nil,
        to: [UInt8]? = nil,
        reverse: Bool = false,
        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool
    ) rethrows {
        let lo = from.map(Key.init)
        let hi = to.map(Key.init)
        if reverse {
            _ = try root.visitBackward(lo, hi, body)
        } else {
            _ = try root.visitForward(lo, hi, body)
        }
    }

    /// Returns the entries whose keys lie in `from...to`.
    ///
    /// - Parameters:
    ///   - from: The inclusive lower bound, or `nil` for no lower bound.
    ///   - to: The inclusive upper bound, or `nil` for no upper bound.
    ///   - reverse: Return entries in descending key order instead of ascending.
    /// - Returns: The entries in the range, ascending by key unless `reverse`.
    /// - Complexity: O(log n + k) for k returned entries.
    public func entries(
        from: [UInt8]? = nil,
        to: [UInt8]? = nil,
        reverse: Bool = false
    ) -> [(key: [UInt8], value: [UInt8])] {
        var result: [(key: [UInt8], value: [UInt8])] = []
        if from == nil && to == nil { result.reserveCapacity(_count) }
        forEach(from: from, to: to, reverse: reverse) { key, value in
            result.append((key, value))
            return true
        }
        return result
    }

    /// Returns the entries whose keys start with `prefix`, in ascending key order.
    ///
    /// An empty prefix returns every entry.
    ///
    /// - Complexity: O(log n + k · p) for k returned entries and a prefix of length p.
    public func entries(withPrefix prefix: [UInt8]) -> [(key: [UInt8], value: [UInt8])] {
        if prefix.isEmpty { return entries(from: nil, to: nil, reverse: false) }
        var result: [(key: [UInt8], value: [UInt8])] = []
        let p = prefix.count
        forEach(from: prefix, to: nil, reverse: false) { key, value in
            guard key.count >= p else { return false }
            let matches = key.withUnsafeBufferPointer { kb in
                prefix.withUnsafeBufferPointer { pb in
                    Self.compareBytes(kb.baseAddress!, pb.baseAddress!, p) == 0
                }
            }
            guard matches else { return false }
            result.append((key, value))
            return true
        }
        return result
    }
}

// MARK: - Nodes

extension ByteOrderedMap {
    /// Maximum number of entries in a leaf, and of children in an internal node.
    @usableFromInline static let maxFanout = 64
    /// Minimum number of entries in a non-root leaf / children in a non-root internal node.
    @usableFromInline static let minFanout = maxFanout / 2

    /// A key with its first 8 bytes cached as a big-endian integer (zero-padded), so that most
    /// comparisons during a search touch only the node's contiguous key array, not the key's
    /// heap buffer. Prefix order agrees with bytewise order; equal prefixes need a full compare.
    @usableFromInline
    struct Key {
        @usableFromInline let prefix: UInt64
        @usableFromInline let bytes: [UInt8]

        @inline(__always)
        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            self.prefix = bytes.withUnsafeBufferPointer { p in
                if p.count >= 8 {
                    return UInt64(bigEndian: UnsafeRawPointer(p.baseAddress!).loadUnaligned(as: UInt64.self))
                }
                var v: UInt64 = 0
                for i in 0..<p.count { v |= UInt64(p[i]) << (56 - 8 * i) }
                return v
            }
        }
    }

    /// A B+tree node.
    ///
    /// A leaf holds sorted `keys` with their `values`. An internal node holds `children` and
    /// `keys.count == children.count - 1` separators: every key in `children[i]` is
    /// `< keys[i]`, and every key in `children[i + 1]` is `>= keys[i]`.
    ///
    /// `@unchecked Sendable` is sound because a node is mutated only while it is uniquely
    /// referenced (copy-on-write); shared nodes are immutable.
    @usableFromInline
    final class Node: @unchecked Sendable {
        @usableFromInline var keys: [Key]
        @usableFromInline var values: [[UInt8]]
        @usableFromInline var children: [Node]
        @usableFromInline let isLeaf: Bool

        init(leafKeys: [Key], values: [[UInt8]]) {
            self.keys = leafKeys
            self.values = values
            self.children = []
            self.isLeaf = true
        }

        init(internalKeys: [Key], children: [Node]) {
            self.keys = internalKeys
            self.values = []
            self.children = children
            self.isLeaf = false
        }

        /// A shallow copy: arrays are shared until mutated, children are shared nodes.
        func copy() -> Node {
            isLeaf
                ? Node(leafKeys: keys, values: values)
                : Node(internalKeys: keys, children: children)
        }

        /// Entry count of a leaf, child count of an internal node.
        @inline(__always) var fill: Int { isLeaf ? keys.count : children.count }

        /// First index whose key is `>= key`, and whether that key equals `key`.
        @inline(__always)
        func search(_ key: Key) -> (index: Int, found: Bool) {
            keys.withUnsafeBufferPointer { keys in
                var lo = 0
                var hi = keys.count
                while lo < hi {
                    let mid = (lo &+ hi) >> 1
                    let c = ByteOrderedMap.compare(keys[mid], key)
                    if c < 0 {
                        lo = mid &+ 1
                    } else if c > 0 {
                        hi = mid
                    } else {
                        return (mid, true)
                    }
                }
                return (lo, false)
            }
        }

        /// First index whose key is `> key`.
        @inline(__always)
        func upperBound(_ key: Key) -> Int {
            keys.withUnsafeBufferPointer { keys in
                var lo = 0
                var hi = keys.count
                while lo < hi {
                    let mid = (lo &+ hi) >> 1
                    if ByteOrderedMap.compare(keys[mid], key) <= 0 {
                        lo = mid &+ 1
                    } else {
                        hi = mid
                    }
                }
                return lo
            }
        }

        /// The child of an internal node whose range contains `key`.
        @inline(__always)
        func childIndex(for key: Key) -> Int { upperBound(key) }

        /// Makes `children[i]` uniquely referenced (copying it if shared) and returns it.
        @inline(__always)
        func uniqueChild(_ i: Int) -> Node {
            if !isKnownUniquelyReferenced(&children[i]) {
                children[i] = children[i].copy()
            }
            return children[i]
        }

        // MARK: Insertion

        /// Inserts or replaces; `self` must be uniquely referenced. Returns the old value and,
        /// if this node overflowed, the separator and new right sibling.
        func insert(_ key: Key, _ value: [UInt8]) -> (old: [UInt8]?, split: (Key, Node)?) {
            if isLeaf {
                let (index, found) = search(key)
                if found {
                    let old = values[index]
                    values[index] = value
                    return (old, nil)
                }
                keys.insert(key, at: index)
                values.insert(value, at: index)
                if keys.count > ByteOrderedMap.maxFanout {
                    let mid = keys.count / 2
                    let right = Node(leafKeys: Array(keys[mid...]), values: Array(values[mid...]))
                    keys.removeSubrange(mid...)
                    values.removeSubrange(mid...)
                    return (nil, (right.keys[0], right))
                }
                return (nil, nil)
            }
            let i = childIndex(for: key)
            let child = uniqueChild(i)
            let (old, split) = child.insert(key, value)
            guard let (separator, right) = split else { return (old, nil) }
            keys.insert(separator, at: i)
            children.insert(right, at: i + 1)
            if children.count > ByteOrderedMap.maxFanout {
                let mid = children.count / 2
                let up = keys[mid - 1]
                let sibling = Node(internalKeys: Array(keys[mid...]), children: Array(children[mid...]))
                keys.removeSubrange((mid - 1)...)
                children.removeSubrange(mid...)
                return (old, (up, sibling))
            }
            return (old, nil)
        }

        // MARK: Removal

        /// Removes `key`; `self` must be uniquely referenced. Children left under-full are
        /// rebalanced; `self` may be left under-full for its parent to fix.
        func remove(_ key: Key) -> [UInt8]? {
            if isLeaf {
                let (index, found) = search(key)
                guard found else { return nil }
                keys.remove(at: index)
                return values.remove(at: index)
            }
            let i = childIndex(for: key)
            // Copy a shared child only if the key is actually there.
            if !isKnownUniquelyReferenced(&children[i]) {
                guard children[i].contains(key) else { return nil }
                children[i] = children[i].copy()
            }
            let child = children[i]
            guard let old = child.remove(key) else { return nil }
            if child.fill < ByteOrderedMap.minFanout { rebalance(i) }
            return old
        }

        /// Whether the subtree rooted here contains `key`.
        func contains(_ key: Key) -> Bool {
            var node = self
            while !node.isLeaf { node = node.children[node.childIndex(for: key)] }
            return node.search(key).found
        }

        /// Fixes an under-full `children[i]` by borrowing from or merging with a sibling.
        func rebalance(_ i: Int) {
            let min = ByteOrderedMap.minFanout
            if i > 0 && children[i - 1].fill > min {
                let left = uniqueChild(i - 1)
                let child = children[i]
                if child.isLeaf {
                    child.keys.insert(left.keys.removeLast(), at: 0)
                    child.values.insert(left.values.removeLast(), at: 0)
                    keys[i - 1] = child.keys[0]
                } else {
                    child.children.insert(left.children.removeLast(), at: 0)
                    child.keys.insert(keys[i - 1], at: 0)
                    keys[i - 1] = left.keys.removeLast()
                }
            } else if i + 1 < children.count && children[i + 1].fill > min {
                let right = uniqueChild(i + 1)
                let child = children[i]
                if child.isLeaf {
                    child.keys.append(right.keys.removeFirst())
                    child.values.append(right.values.removeFirst())
                    keys[i] = right.keys[0]
                } else {
                    child.children.append(right.children.removeFirst())
                    child.keys.append(keys[i])
                    keys[i] = right.keys.removeFirst()
                }
            } else if i > 0 {
                merge(i - 1)
            } else {
                merge(i)
            }
        }

        /// Merges `children[i + 1]` into `children[i]`.
        func merge(_ i: Int) {
            let left = uniqueChild(i)
            let right = children[i + 1]
            if left.isLeaf {
                left.keys.append(contentsOf: right.keys)
                left.values.append(contentsOf: right.values)
            } else {
                left.keys.append(keys[i])
                left.keys.append(contentsOf: right.keys)
                left.children.append(contentsOf: right.children)
            }
            keys.remove(at: i)
            children.remove(at: i + 1)
        }

        // MARK: Traversal

        /// Visits keys in `lo...hi` ascending. Returns `false` once iteration must stop.
        func visitForward(
            _ lo: Key?,
            _ hi: Key?,
            _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool
        ) rethrows -> Bool {
            if isLeaf {
                var j = lo.map { search($0).index } ?? 0
                let n = keys.count
                if let hi {
                    while j < n {
                        if ByteOrderedMap.compare(keys[j], hi) > 0 { return false }
                        if try !body(keys[j].bytes, values[j]) { return false }
                        j += 1
                    }
                } else {
                    while j < n {
                        if try !body(keys[j].bytes, values[j]) { return false }
                        j += 1
                    }
                }
                return true
            }
            var c = lo.map { childIndex(for: $0) } ?? 0
            if try !children[c].visitForward(lo, hi, body) { return false }
            c += 1
            while c < children.count {
                // children[c] holds only keys >= keys[c - 1].
                if let hi, ByteOrderedMap.compare(keys[c - 1], hi) > 0 { return false }
                if try !children[c].visitForward(nil, hi, body) { return false }
                c += 1
            }
            return true
        }

        /// Visits keys in `lo...hi` descending. Returns `false` once iteration must stop.
        func visitBackward(
            _ lo: Key?,
            _ hi: Key?,
            _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> Bool
        ) rethrows -> Bool {
            if isLeaf {
                var j = (hi.map { upperBound($0) } ?? keys.count) - 1
                if let lo {
                    while j >= 0 {
                        if ByteOrderedMap.compare(keys[j], lo) < 0 { return false }
                        if try !body(keys[j].bytes, values[j]) { return false }
                        j -= 1
                    }
                } else {
                    while j >= 0 {
                        if try !body(keys[j].bytes, values[j]) { return false }
                        j -= 1
                    }
                }
                return true
            }
            var c = hi.map { childIndex(for: $0) } ?? (children.count - 1)
            if try !children[c].visitBackward(lo, hi, body) { return false }
            while c > 0 {
                // children[c - 1] holds only keys < keys[c - 1].
                if let lo, ByteOrderedMap.compare(keys[c - 1], lo) <= 0 { return false }
                c -= 1
                if try !children[c].visitBackward(lo, nil, body) { return false }
            }
            return true
        }
    }
}

// MARK: - Testing support

extension ByteOrderedMap {
    /// Checks the B+tree invariants (ordering, separators, fill, uniform depth, count) and
    /// returns a description of the first violation, or `nil` if the tree is valid.
    ///
    /// - Complexity: O(n).
    func validate() -> String? {
        var leafDepth: Int? = nil
        var total = 0
        func check(_ node: Node, _ lo: Key?, _ hi: Key?, _ depth: Int, _ isRoot: Bool) -> String? {
            if node.isLeaf {
                if node.keys.count != node.values.count { return "leaf keys/values mismatch" }
                if !isRoot && node.keys.count < ByteOrderedMap.minFanout { return "leaf under-full" }
                if node.keys.count > ByteOrderedMap.maxFanout { return "leaf over-full" }
                for (j, k) in node.keys.enumerated() {
                    if k.prefix != Key(k.bytes).prefix { return "stale key prefix" }
                    if j > 0 && ByteOrderedMap.compare(node.keys[j - 1].bytes, k.bytes) >= 0 { return "leaf unsorted" }
                    if let lo, ByteOrderedMap.compare(k.bytes, lo.bytes) < 0 { return "leaf key below separator" }
                    if let hi, ByteOrderedMap.compare(k.bytes, hi.bytes) >= 0 { return "leaf key above separator" }
                }
                if let d = leafDepth, d != depth { return "uneven leaf depth" }
                leafDepth = depth
                total += node.keys.count
                return nil
            }
            if node.keys.count != node.children.count - 1 { return "internal keys/children mismatch" }
            if node.children.count < (isRoot ? 2 : ByteOrderedMap.minFanout) { return "internal under-full" }
            if node.children.count > ByteOrderedMap.maxFanout { return "internal over-full" }
            for j in 1..<node.keys.count where ByteOrderedMap.compare(node.keys[j - 1].bytes, node.keys[j].bytes) >= 0 {
                return "separators unsorted"
            }
            for (c, child) in node.children.enumerated() {
                let clo = c == 0 ? lo : node.keys[c - 1]
                let chi = c == node.keys.count ? hi : node.keys[c]
                if let error = check(child, clo, chi, depth + 1, false) { return error }
            }
            return nil
        }
        if let error = check(root, nil, nil, 0, true) { return error }
        if total != _count { return "count \(_count) but \(total) entries" }
        return nil
    }
}
