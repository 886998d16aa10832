import KafkaProtocol
import NIOCore

/// The outcome of one JoinGroup + SyncGroup round.
enum JoinOutcome {
    /// The member has this assignment in the new generation.
    case joined(MemberAssignment)
    /// Join again (after `backoff`, if any).
    case retry(backoff: Bool)
}

extension KafkaConsumer {
    /// The rebalance protocol of this member: the first protocol every configured assignor
    /// supports, in the first assignor's order of preference (Java's rule).
    var chosenRebalanceProtocol: RebalanceProtocol {
        let first = config.assignors.first?.supportedProtocols ?? [.eager]
        return first.first { candidate in config.assignors.allSatisfy { $0.supportedProtocols.contains(candidate) } } ?? .eager
    }

    /// Joins (or rejoins) the group until this member has an assignment in the current
    /// generation, running the listener's callbacks on the way. After a failed attempt it
    /// gives up at `deadline` (the poll's timeout; the next poll tries again).
    func ensureActiveGroup(until deadline: ContinuousClock.Instant) async throws {
        var listenerError: (any Error)?
        var attempts = 0
        joining: while isGroupSubscription && !closed && (needsRejoin || generation < 0) {
            if let fatalError { throw fatalError }
            if let error = await prepareJoin() { listenerError = listenerError ?? error }
            let outcome: JoinOutcome
            do {
                outcome = try await joinAndSync()
            } catch let error as KafkaClientError where error.code == .timeout || error.code == .connection {
                logger.info("joining group \(config.groupID ?? ""): \(error); retrying")
                outcome = .retry(backoff: true)
            }
            switch outcome {
            case .joined(let assignment):
                attempts = 0
                if let error = await joinCompleted(assignment) { listenerError = listenerError ?? error }
            case .retry(let backoff):
                attempts += 1
                if ContinuousClock.now >= deadline { break joining }
                if backoff {
                    let wait = min(
                        config.client.retryBackoff * (1 << min(attempts, 10)),
                        max(config.retryBackoffMax, config.client.retryBackoff))
                    try await Task.sleep(for: wait)
                }
            }
        }
        if let listenerError { throw listenerError }
    }

    /// Before joining: commits (auto-commit) and revokes what the protocol gives up, or
    /// reports the partitions lost with the membership. Returns a listener error.
    func prepareJoin() async -> (any Error)? {
        let owned = Set(partitions.keys)
        var failure: (any Error)?
        if membershipLost {
            membershipLost = false
            if !owned.isEmpty {
                setAssignment([])
                do { try await listener.onLost(owned) } catch { failure = error }
            }
            return failure
        }
        if config.enableAutoCommit && generation >= 0 && !owned.isEmpty {
            do { try await commitSync() } catch { logger.warning("commit before rebalance failed: \(error)") }
        }
        if rebalanceProtocol == .eager && !owned.isEmpty {
            do { try await listener.onRevoked(owned) } catch { failure = error }
            setAssignment([])
        }
        return failure
    }

    /// The topics this member subscribes to now (a pattern is matched against metadata).
    func currentTopics() async throws -> Set<String> {
        switch subscription {
        case .topics(let topics): return topics
        case .pattern(_, let matches):
            let all = try await cluster.metadata(refresh: true)
            return Set(all.topics.values.filter { !$0.isInternal && matches($0.name) }.map(\.name))
        default: return []
        }
    }

    /// One JoinGroup (the leader then assigns) and SyncGroup.
    func joinAndSync() async throws -> JoinOutcome {
        guard let coordinator, let groupID = config.groupID else {
            throw KafkaClientError(.invalidConfig, "subscribe needs a group.id")
        }
        rebalanceProtocol = chosenRebalanceProtocol
        let topics = try await currentTopics()
        joinedTopics = topics
        let owned = rebalanceProtocol == .cooperative ? Array(partitions.keys).sorted() : []
        var protocols: [JoinGroupRequest.JoinGroupRequestProtocol] = []
        for assignor in config.assignors {
            let subscription = MemberSubscription(
                memberID: memberID, groupInstanceID: config.groupInstanceID, topics: topics.sorted(),
                userData: await assignor.subscriptionUserData(topics: topics), ownedPartitions: owned, generation: generation)
            protocols.append(.init(name: assignor.name, metadata: try ConsumerProtocol.encode(subscription)))
        }
        let offered = protocols
        let instance = config.groupInstanceID
        let sessionMs = Int32(clamping: config.sessionTimeout.milliseconds)
        let rebalanceMs = Int32(clamping: config.effectiveRebalanceTimeout.milliseconds)
        let currentMember = memberID
        let deadline = ContinuousClock.now + config.effectiveRebalanceTimeout + config.defaultApiTimeout
        let (join, _) = try await coordinator.send(
            api: "JoinGroup", deadline: deadline,
            build: { version -> JoinGroupRequest in
                if instance != nil && version < 5 {
                    throw KafkaClientError(
                        .unsupportedVersion, "group.instance.id needs JoinGroup v5; the coordinator speaks v\(version)")
                }
                return JoinGroupRequest(
                    groupId: groupID, sessionTimeoutMs: sessionMs, rebalanceTimeoutMs: rebalanceMs, memberId: currentMember,
                    groupInstanceId: version >= 5 ? instance : nil, protocolType: ConsumerProtocol.protocolType,
                    protocols: offered)
            },
            coordinatorError: { response, _ in KafkaErrorCode(code: response.errorCode) })
        let joinCode = KafkaErrorCode(code: join.errorCode)
        switch joinCode {
        case .none: break
        case .memberIdRequired:
            memberID = join.memberId
            return .retry(backoff: false)
        case .unknownMemberId:
            memberID = ""
            return .retry(backoff: true)
        case .illegalGeneration:
            generation = -1
            return .retry(backoff: true)
        case .rebalanceInProgress, .coordinatorLoadInProgress, .notCoordinator, .coordinatorNotAvailable:
            return .retry(backoff: true)
        case .fencedInstanceId:
            let error = KafkaError(
                joinCode, message: "another consumer joined with group.instance.id \(instance ?? "")", api: "JoinGroup")
            fatalError = error
            throw error
        default:
            throw KafkaError(joinCode, api: "JoinGroup")
        }
        memberID = join.memberId
        generation = join.generationId
        groupProtocol = join.protocolName
        logger.info(
            "joined group \(groupID) generation \(join.generationId) as \(join.memberId)\(join.leader == join.memberId ? " (leader)" : "") with \(join.protocolName ?? "?")"
        )
        var assignments: [SyncGroupRequest.SyncGroupRequestAssignment] = []
        if join.leader == join.memberId && !join.skipAssignment {
            assignments = try await assign(members: join.members, protocol: join.protocolName ?? "")
        }
        let leaderAssignments = assignments
        let syncGeneration = join.generationId
        let syncMember = join.memberId
        let (sync, _) = try await coordinator.send(
            api: "SyncGroup", deadline: deadline,
            build: { version -> SyncGroupExchange in
                SyncGroupExchange(
                    SyncGroupRequest(
                        groupId: groupID, generationId: syncGeneration, memberId: syncMember,
                        groupInstanceId: version >= 3 ? instance : nil, assignments: leaderAssignments))
            },
            coordinatorError: { response, _ in KafkaErrorCode(code: response.errorCode) })
        let syncCode = KafkaErrorCode(code: sync.errorCode)
        switch syncCode {
        case .none:
            return .joined(try ConsumerProtocol.decodeAssignment(sync.assignment))
        case .rebalanceInProgress:
            return .retry(backoff: false)
        case .unknownMemberId:
            memberID = ""
            generation = -1
            return .retry(backoff: true)
        case .illegalGeneration:
            generation = -1
            return .retry(backoff: true)
        case .notCoordinator, .coordinatorNotAvailable, .coordinatorLoadInProgress:
            return .retry(backoff: true)
        case .fencedInstanceId:
            let error = KafkaError(syncCode, api: "SyncGroup")
            fatalError = error
            throw error
        default:
            throw KafkaError(syncCode, api: "SyncGroup")
        }
    }

    /// The leader's part: decodes the members' subscriptions, runs the chosen assignor,
    /// encodes the assignments.
    func assign(members: [JoinGroupResponse.JoinGroupResponseMember], protocol name: String) async throws
        -> [SyncGroupRequest.SyncGroupRequestAssignment]
    {
        guard let assignor = config.assignors.first(where: { $0.name == name }) else {
            throw KafkaClientError(.illegalState, "the group chose assignor \(name), which this consumer does not have")
        }
        var subscriptions: [String: MemberSubscription] = [:]
        for member in members {
            subscriptions[member.memberId] = try ConsumerProtocol.decodeSubscription(
                member.metadata, memberID: member.memberId, groupInstanceID: member.groupInstanceId)
        }
        let topics = Set(subscriptions.values.flatMap(\.topics)).sorted()
        let metadata = try await cluster.metadata(refresh: true, topics: topics)
        var counts: [String: Int32] = [:]
        for topic in topics {
            if let described = metadata.topics[topic], described.error == .none, !described.partitions.isEmpty {
                counts[topic] = Int32(described.partitions.count)
            }
        }
        let result = try await assignor.assign(
            cluster: AssignmentCluster(partitionCounts: counts, metadata: metadata), subscriptions: subscriptions)
        if rebalanceProtocol == .cooperative {
            var owner: [TopicPartition: String] = [:]
            for subscription in subscriptions.values {
                for partition in subscription.ownedPartitions { owner[partition] = subscription.memberID }
            }
            for (member, assignment) in result {
                for partition in assignment.partitions {
                    if let current = owner[partition], current != member {
                        throw KafkaClientError(
                            .illegalState,
                            "assignor \(name) gave \(partition) to \(member) while \(current) still owns it; a cooperative assignor must leave it out for one rebalance"
                        )
                    }
                }
            }
        }
        return try members.map { member in
            SyncGroupRequest.SyncGroupRequestAssignment(
                memberId: member.memberId,
                assignment: try ConsumerProtocol.encode(result[member.memberId] ?? MemberAssignment(partitions: [])))
        }
    }

    /// After SyncGroup: applies the assignment and runs the callbacks. Returns a listener error.
    func joinCompleted(_ assignment: MemberAssignment) async -> (any Error)? {
        statistics.rebalances += 1
        needsRejoin = false
        let assigned = Set(assignment.partitions)
        if let name = groupProtocol, let assignor = config.assignors.first(where: { $0.name == name }) {
            await assignor.onAssignment(assignment, generation: generation)
        }
        startHeartbeat()
        var failure: (any Error)?
        if rebalanceProtocol == .cooperative {
            let owned = Set(partitions.keys)
            let revoked = owned.subtracting(assigned)
            let added = assigned.subtracting(owned)
            if !revoked.isEmpty {
                do { try await listener.onRevoked(revoked) } catch { failure = error }
                setAssignment(owned.subtracting(revoked))
                // Give the revoked partitions back to the group at once.
                needsRejoin = true
            }
            setAssignment(assigned)
            do { try await listener.onAssigned(added) } catch { failure = failure ?? error }
        } else {
            setAssignment(assigned)
            do { try await listener.onAssigned(assigned) } catch { failure = error }
        }
        return failure
    }

    /// Forgets the generation after the coordinator rejected it; the member rejoins at
    /// the next poll, reporting its partitions lost when `lost`.
    func resetGeneration(lost: Bool, clearMemberID: Bool) {
        generation = -1
        if clearMemberID { memberID = "" }
        if lost && !partitions.isEmpty { membershipLost = true }
        needsRejoin = true
        wakePoll()
    }

    /// Revokes the partitions (or reports them lost), and sends LeaveGroup unless this is a
    /// static member.
    func leaveGroup(reason: String) async throws {
        let owned = Set(partitions.keys)
        var failure: (any Error)?
        if !owned.isEmpty {
            if membershipLost || generation < 0 {
                do { try await listener.onLost(owned) } catch { failure = error }
            } else {
                if config.enableAutoCommit {
                    do { try await commitSync() } catch { logger.warning("commit before leaving failed: \(error)") }
                }
                do { try await listener.onRevoked(owned) } catch { failure = error }
            }
        }
        setAssignment([])
        membershipLost = false
        await sendLeaveGroup(reason: reason)
        generation = -1
        memberID = ""
        needsRejoin = true
        if let failure { throw failure }
    }

    /// LeaveGroup for a dynamic member (a static member keeps its place until its session
    /// times out, so that a restart does not rebalance).
    func sendLeaveGroup(reason: String) async {
        guard config.groupInstanceID == nil else { return }
        await sendLeaveGroup(member: memberID, reason: reason)
    }

    private func takeStaleMember() -> String? {
        defer { staleMember = nil }
        return staleMember
    }

    func sendLeaveGroup(member: String, reason: String) async {
        guard let coordinator, let groupID = config.groupID, !member.isEmpty else { return }
        logger.info("leaving group \(groupID) (\(reason))")
        do {
            let (response, version) = try await coordinator.send(
                api: "LeaveGroup", deadline: .now + config.client.requestTimeout,
                build: { version -> LeaveGroupRequest in
                    version >= 3
                        ? LeaveGroupRequest(groupId: groupID, members: [.init(memberId: member)])
                        : LeaveGroupRequest(groupId: groupID, memberId: member)
                },
                coordinatorError: { response, _ in KafkaErrorCode(code: response.errorCode) })
            let code = version >= 3 ? (response.members.first?.errorCode ?? response.errorCode) : response.errorCode
            if code != 0 { logger.info("LeaveGroup: \(KafkaErrorCode(code: code))") }
        } catch {
            logger.info("LeaveGroup failed: \(error)")
        }
    }

    // MARK: - Heartbeats

    func startHeartbeat() {
        guard heartbeatTask == nil, !closed else { return }
        // The membership's background task: heartbeats and the max.poll.interval.ms check.
        heartbeatTask = Task { await self.heartbeatLoop() }
    }

    private func heartbeatLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: config.heartbeatInterval)
            if closed || Task.isCancelled { return }
            let request = nextHeartbeat()
            if let stale = takeStaleMember() { await sendLeaveGroup(member: stale, reason: "max.poll.interval.ms passed") }
            guard let request, let coordinator else { continue }
            let code: KafkaErrorCode
            do {
                code = try await coordinator.send(
                    request, api: "Heartbeat", deadline: .now + config.heartbeatInterval,
                    coordinatorError: { KafkaErrorCode(code: $0.errorCode) }
                ).errorCode.kafkaCode
            } catch {
                logger.debug("heartbeat failed: \(error)")
                continue
            }
            heartbeatAnswered(code, generation: request.generationId, member: request.memberId)
        }
    }

    /// The heartbeat to send now, if any; leaves the group when the application has not
    /// polled within `max.poll.interval.ms`.
    private func nextHeartbeat() -> HeartbeatRequest? {
        guard isGroupSubscription, generation >= 0, let groupID = config.groupID else { return nil }
        if !polling && ContinuousClock.now - lastPollAt > config.maxPollInterval {
            logger.warning(
                "no poll for more than max.poll.interval.ms (\(config.maxPollInterval.milliseconds) ms): leaving group \(groupID); the next poll rejoins"
            )
            let member = memberID
            resetGeneration(lost: true, clearMemberID: config.groupInstanceID == nil)
            if config.groupInstanceID == nil { staleMember = member }
            return nil
        }
        return HeartbeatRequest(
            groupId: groupID, generationId: generation, memberId: memberID, groupInstanceId: config.groupInstanceID)
    }

    private func heartbeatAnswered(_ code: KafkaErrorCode, generation sent: Int32, member: String) {
        guard sent == generation, member == memberID else { return }
        switch code {
        case .none: break
        case .rebalanceInProgress:
            if !needsRejoin { logger.info("group \(config.groupID ?? "") is rebalancing; rejoining") }
            needsRejoin = true
            wakePoll()
        case .illegalGeneration:
            logger.info("heartbeat: ILLEGAL_GENERATION; the partitions are lost, rejoining")
            resetGeneration(lost: true, clearMemberID: false)
        case .unknownMemberId:
            logger.info("heartbeat: UNKNOWN_MEMBER_ID; the partitions are lost, rejoining")
            resetGeneration(lost: true, clearMemberID: true)
        case .fencedInstanceId:
            fatalError = KafkaError(
                code, message: "another consumer joined with group.instance.id \(config.groupInstanceID ?? "")", api: "Heartbeat")
            wakePoll()
        default:
            logger.warning("heartbeat: \(code)")
        }
    }
}

extension Int16 {
    var kafkaCode: KafkaErrorCode { KafkaErrorCode(code: self) }
}
