import KafkaStreams
import KafkaStreamsTesting
import WordCount

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Reads text from the files given as arguments (or standard input), runs each line through
// the word-count topology on the TopologyTestDriver, and prints the final count per word.

func lines(from paths: [String]) throws -> AnySequence<String> {
    if paths.isEmpty { return AnySequence(AnyIterator { readLine() }) }
    var all: [String] = []
    for path in paths {
        guard let file = fopen(path, "r") else {
            throw StreamsError(.invalidConfig, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        while getline(&buffer, &capacity, file) > 0, let buffer {
            all.append(String(cString: buffer).trimmingSuffix("\n"))
        }
        free(buffer)
    }
    return AnySequence(all)
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}

do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.contains("--describe") {
        print(try WordCount.topology().describe())
        exit(0)
    }
    let driver = try TopologyTestDriver(try WordCount.topology())
    let input = driver.inputTopic(WordCount.inputTopic, key: .optional(.string), value: .string)
    let output = driver.outputTopic(WordCount.outputTopic, key: .string, value: .int64)
    var lineCount = 0
    for line in try lines(from: arguments.filter { $0 != "--describe" }) {
        try input.pipeInput(nil, line)
        lineCount += 1
    }
    let counts = try output.readKeyValuesToMap()
    for (word, count) in counts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
        print("\(word)\t\(count)")
    }
    print("-- \(lineCount) lines, \(counts.count) distinct words")
    driver.close()
} catch {
    FileHandleStderr.write("word-count: \(error)\n")
    exit(1)
}

enum FileHandleStderr {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }
}
