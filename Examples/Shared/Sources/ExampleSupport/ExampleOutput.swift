import Foundation

/// Writes a line to standard output at once (unbuffered, also into a pipe or a file), so
/// that an example's output shows as it happens.
public func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
