import Logging

/// A standby task: the stores of an active task elsewhere, kept warm by applying their
/// changelogs continuously, so that this instance can take the task over after a short
/// restoration (`num.standby.replicas`). It never processes records.
final class StandbyTask {
    let task: StreamTask
    let stateManager: ProcessorStateManager

    /// The task id.
    var id: TaskId { task.id }

    /// Opens the task's stores in its state directory (locked for the standby).
    /// - Throws: ``StreamsError`` (`stateDirectoryLocked` while another owner holds it).
    init(id: TaskId, context: RuntimeContext, collector: any RecordCollector, clock: StreamsClock, logger: Logger) throws {
        task = try StreamTask(
            id: id, topology: context.topology, subtopologies: [id.subtopology], config: context.config, collector: collector,
            clock: clock, logger: logger)
        do {
            stateManager = try ProcessorStateManager(
                taskId: id, config: context.config, stateDirectory: context.stateDirectory, collector: collector,
                rocksDB: context.rocksDB)
            try task.initialize(stateManager: stateManager)
        } catch {
            task.close(clean: false)
            throw error
        }
    }

    /// Checkpoints what was applied (clean) and closes the stores.
    func close(clean: Bool) { task.close(clean: clean) }
}
