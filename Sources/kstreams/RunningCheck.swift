import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a command refuses to open an application's embedded broker data.
struct ApplicationRunningError: Error, CustomStringConvertible {
    let applicationID: String
    let lockedTask: String

    var description: String {
        "application \(applicationID) is running on this state directory (task \(lockedTask) is locked): "
            + "stop it before using --bootstrap-servers embedded, or point the command at its broker's address"
    }
}

/// Refuses when an instance of the application runs on `<state-dir>/<application-id>`:
/// its tasks hold `flock` locks on `<task>/.lock`, and a second broker on the same data
/// directory would corrupt it.
/// - Throws: ``ApplicationRunningError`` naming the first locked task.
func checkNotRunning(stateDirectory: String, applicationID: String) throws {
    let directory = applicationStateDirectory(stateDirectory: stateDirectory, applicationID: applicationID)
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    for entry in entries.sorted() where entry != embeddedBrokerDirectoryName {
        let path = directory + "/" + entry + "/.lock"
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { continue }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            throw ApplicationRunningError(applicationID: applicationID, lockedTask: entry)
        }
        flock(descriptor, LOCK_UN)
    }
}
