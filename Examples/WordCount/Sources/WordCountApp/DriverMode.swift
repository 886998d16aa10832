import KafkaStreams
import KafkaStreamsTesting
import WordCount

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the lines through the topology on the TopologyTestDriver (no broker) and prints
/// the final count per word.
func runOnDriver(_ lines: [String]) throws {
    let driver = try TopologyTestDriver(try WordCount.topology())
    defer { driver.close() }
    let input = driver.inputTopic(WordCount.inputTopic, key: .optional(.string), value: .string)
    let output = driver.outputTopic(WordCount.outputTopic, key: .string, value: .int64)
    for line in lines { try input.pipeInput(nil, line) }
    let counts = try output.readKeyValuesToMap()
    printCounts(counts, lines: lines.count)
}

/// Prints counts, the most frequent first.
func printCounts(_ counts: [String: Int64], lines: Int, limit: Int? = nil) {
    let sorted = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
    for (word, count) in sorted.prefix(limit ?? sorted.count) { print("\(word)\t\(count)") }
    print("-- \(lines) lines, \(counts.count) distinct words")
}

/// Reads the lines of the files, or of standard input when none is given.
func readLines(_ paths: [String]) throws -> [String] {
    if paths.isEmpty {
        var all: [String] = []
        while let line = readLine() { all.append(line) }
        return all
    }
    var all: [String] = []
    for path in paths {
        guard let file = fopen(path, "r") else {
            throw StreamsError(.invalidConfig, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        while getline(&buffer, &capacity, file) > 0, let buffer {
            var line = String(cString: buffer)
            if line.hasSuffix("\n") { line.removeLast() }
            all.append(line)
        }
        free(buffer)
    }
    return all
}
