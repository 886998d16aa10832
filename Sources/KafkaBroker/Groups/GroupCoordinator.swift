import Foundation
import KafkaProtocol
import NIOCore

/// The classic group coordinator: JoinGroup/SyncGroup/Heartbeat/LeaveGroup with
/// generations, the leader-chosen assignment, session and rebalance timeouts, static
/// members; and committed offsets, persisted in the internal offsets log.
///
/// Not thread-safe: owned by the broker's actor; requests that wait (JoinGroup, SyncGroup)
/// hand in a continuation that is resumed when the rebalance gets there.
final class GroupCoordinator {
    let config: BrokerConfig
    var groups: [String: ConsumerGroup] = [:]
    var offsetsLog: InternalLog?

    init(config: BrokerConfig) { self.config = config }

    // MARK: persistence

    private struct OffsetValue: Codable {
        var offset: Int64
        var leaderEpoch: Int32
        var metadata: String?
        var commitTimestamp: Int64
    }

    static func offsetKey(_ group: String, _ tp: TopicPartitionKey) -> String {
        "offset\u{0}\(group)\u{0}\(tp.topic)\u{0}\(tp.partition)"
    }

    /// Applies one record of the offsets log (called while loading).
    func replay(key: String, value: Data?) {
        let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "offset", let partition = Int32(parts[3]) else { return }
        let tp = TopicPartitionKey(topic: parts[2], partition: partition)
        let group = groups[parts[1]] ?? ConsumerGroup(groupId: parts[1])
        groups[parts[1]] = group
        if let value, let decoded = try? JSONDecoder().decode(OffsetValue.self, from: value) {
            group.offsets[tp] = CommittedOffset(
                offset: decoded.offset, leaderEpoch: decoded.leaderEpoch, metadata: decoded.metadata, commitTimestamp: decoded.commitTimestamp)
        } else {
            group.offsets[tp] = nil
        }
    }

    /// Stores offsets for a group, durable before it returns.
    func storeOffsets(_ group: ConsumerGroup, _ offsets: [TopicPartitionKey: CommittedOffset]) throws {
        let records: [(String, Data?)] = try offsets.sorted { $0.key < $1.key }.map { tp, value in
            let data = try JSONEncoder().encode(
                OffsetValue(offset: value.offset, leaderEpoch: value.leaderEpoch, metadata: value.metadata, commitTimestamp: value.commitTimestamp))
            return (Self.offsetKey(group.groupId, tp), data)
        }
        try offsetsLog?.append(records)
        for (tp, value) in offsets { group.offsets[tp] = value }
    }

    /// Removes some of a group's committed offsets (tombstones), durable before it returns.
    func deleteOffsets(_ group: ConsumerGroup, _ partitions: [TopicPartitionKey]) throws {
        let present = partitions.filter { group.offsets[$0] != nil }.sorted()
        guard !present.isEmpty else { return }
        try offsetsLog?.append(present.map { (Self.offsetKey(group.groupId, $0), nil) })
        for tp in present { group.offsets[tp] = nil }
    }

    /// Removes a group's offsets (tombstones) and the group.
    func deleteGroup(_ group: ConsumerGroup) throws {
        try offsetsLog?.append(group.offsets.keys.sorted().map { (Self.offsetKey(group.groupId, $0), nil) })
        groups[group.groupId] = nil
    }

    // MARK: membership

    /// Handles JoinGroup; `reply` is resumed now or when the rebalance completes.
    func join(_ request: JoinGroupRequest, version: Int16, clientId: String, clientHost: String, reply: CheckedContinuation<JoinGroupResponse, Never>) {
        let now = nowMs()
        func fail(_ code: KafkaErrorCode, memberId: String = "") {
            reply.resume(returning: JoinGroupResponse(errorCode: code.code, generationId: -1, protocolName: version >= 7 ? nil : "", leader: "", memberId: memberId))
        }
        guard !request.groupId.isEmpty else { return fail(.invalidGroupId) }
        guard request.sessionTimeoutMs >= config.groupMinSessionTimeoutMs, request.sessionTimeoutMs <= config.groupMaxSessionTimeoutMs else {
            return fail(.invalidSessionTimeout, memberId: request.memberId)
        }
        guard !request.protocolType.isEmpty, !request.protocols.isEmpty else { return fail(.inconsistentGroupProtocol, memberId: request.memberId) }
        let group = groups[request.groupId] ?? ConsumerGroup(groupId: request.groupId)
        if groups[request.groupId] == nil {
            if !request.memberId.isEmpty && request.groupInstanceId == nil { return fail(.unknownMemberId, memberId: request.memberId) }
            groups[request.groupId] = group
        }
        if !group.members.isEmpty {
            if let type = group.protocolType ?? group.members.first?.protocolType, type != request.protocolType {
                return fail(.inconsistentGroupProtocol, memberId: request.memberId)
            }
            let names = Set(request.protocols.map(\.name))
            let others = group.members.filter { $0.memberId != request.memberId }
            if !others.isEmpty, !others.allSatisfy({ m in m.protocols.contains { names.contains($0.name) } }) {
                return fail(.inconsistentGroupProtocol, memberId: request.memberId)
            }
        }
        var member: GroupMember
        var changed = false
        if request.memberId.isEmpty {
            let newId = (clientId.isEmpty ? "member" : clientId) + "-" + UUID().uuidString.lowercased()
            if let instance = request.groupInstanceId, let existing = group.member(instanceId: instance) {
                // A static member coming back: it takes over the old member's place.
                existing.joinWaiter?.resume(returning: JoinGroupResponse(errorCode: KafkaErrorCode.fencedInstanceId.code, generationId: -1, leader: "", memberId: existing.memberId))
                existing.joinWaiter = nil
                existing.syncWaiter?.resume(returning: SyncGroupResponse(errorCode: KafkaErrorCode.fencedInstanceId.code))
                existing.syncWaiter = nil
                if group.leaderId == existing.memberId { group.leaderId = newId }
                existing.memberId = newId
                member = existing
                changed = !existing.sameProtocols(as: request)
            } else if request.groupInstanceId == nil && version >= 4 {
                group.pendingMemberIds[newId] = now + Int64(request.sessionTimeoutMs)
                return fail(.memberIdRequired, memberId: newId)
            } else {
                member = GroupMember(memberId: newId, groupInstanceId: request.groupInstanceId, clientId: clientId, clientHost: clientHost, request: request, now: now)
                group.members.append(member)
                changed = true
            }
        } else if let existing = group.member(request.memberId) {
            if let instance = request.groupInstanceId, existing.groupInstanceId != instance { return fail(.fencedInstanceId, memberId: request.memberId) }
            member = existing
            changed = !existing.sameProtocols(as: request)
        } else if group.pendingMemberIds.removeValue(forKey: request.memberId) != nil {
            member = GroupMember(memberId: request.memberId, groupInstanceId: request.groupInstanceId, clientId: clientId, clientHost: clientHost, request: request, now: now)
            group.members.append(member)
            changed = true
        } else {
            return fail(.unknownMemberId, memberId: request.memberId)
        }
        member.sessionTimeoutMs = request.sessionTimeoutMs
        member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
        member.protocolType = request.protocolType
        member.protocols = request.protocols.map { ($0.name, $0.metadata) }
        member.lastHeartbeatMs = now
        if member.joinWaiter != nil {
            member.joinWaiter?.resume(returning: JoinGroupResponse(errorCode: KafkaErrorCode.rebalanceInProgress.code, generationId: -1, leader: "", memberId: member.memberId))
        }
        // A follower of a stable group re-joining with the same metadata gets the current generation.
        if group.phase == .stable && !changed && member.memberId != group.leaderId {
            reply.resume(returning: joinResponse(group, for: member, version: version))
            return
        }
        member.joinWaiter = reply
        if group.phase != .preparingRebalance { prepareRebalance(group, now: now) }
        tryCompleteJoin(group, now: now)
    }

    private func prepareRebalance(_ group: ConsumerGroup, now: Int64) {
        if group.phase == .empty && config.groupInitialRebalanceDelayMs > 0 {
            group.initialDelayUntilMs = now + config.groupInitialRebalanceDelayMs
        }
        group.phase = .preparingRebalance
        let timeout = Int64(group.members.map(\.rebalanceTimeoutMs).max() ?? 0)
        group.rebalanceDeadlineMs = now + max(timeout, 0)
        for member in group.members {
            member.syncWaiter?.resume(returning: SyncGroupResponse(errorCode: KafkaErrorCode.rebalanceInProgress.code))
            member.syncWaiter = nil
        }
    }

    private func joinResponse(_ group: ConsumerGroup, for member: GroupMember, version: Int16) -> JoinGroupResponse {
        let isLeader = member.memberId == group.leaderId
        return JoinGroupResponse(
            errorCode: 0, generationId: group.generationId, protocolType: group.protocolType, protocolName: group.protocolName ?? "",
            leader: group.leaderId ?? "", skipAssignment: false, memberId: member.memberId,
            members: isLeader
                ? group.members.map {
                    JoinGroupResponse.JoinGroupResponseMember(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId, metadata: $0.metadata(for: group.protocolName))
                } : [])
    }

    /// Completes the join phase when every member has re-joined (after the initial delay)
    /// or the rebalance timeout has passed (members that did not re-join are removed).
    func tryCompleteJoin(_ group: ConsumerGroup, now: Int64) {
        guard group.phase == .preparingRebalance else { return }
        let allJoined = group.members.allSatisfy { $0.joinWaiter != nil }
        let delayOver = now >= group.initialDelayUntilMs
        guard (allJoined && delayOver && group.pendingMemberIds.isEmpty) || now >= group.rebalanceDeadlineMs else { return }
        group.pendingMemberIds = [:]
        for member in group.members where member.joinWaiter == nil {
            remove(member, from: group)
        }
        group.generationId += 1
        guard !group.members.isEmpty else {
            group.phase = .empty
            group.leaderId = nil
            group.protocolName = nil
            return
        }
        group.protocolType = group.members[0].protocolType
        // The protocol every member supports that most members prefer (Kafka's vote).
        let candidates = group.members[0].protocols.map(\.name).filter { name in group.members.allSatisfy { $0.protocols.contains { $0.name == name } } }
        var votes: [String: Int] = [:]
        for member in group.members {
            if let preferred = member.protocols.first(where: { candidates.contains($0.name) }) { votes[preferred.name, default: 0] += 1 }
        }
        group.protocolName = candidates.max { (votes[$0] ?? 0) < (votes[$1] ?? 0) } ?? candidates.first
        if group.leaderId == nil || group.member(group.leaderId!) == nil { group.leaderId = group.members[0].memberId }
        group.phase = .completingRebalance
        for member in group.members {
            member.assignment = ByteBuffer()
            member.lastHeartbeatMs = now
            let waiter = member.joinWaiter
            member.joinWaiter = nil
            waiter?.resume(returning: joinResponse(group, for: member, version: 0))
        }
    }

    private func remove(_ member: GroupMember, from group: ConsumerGroup) {
        group.members.removeAll { $0 === member }
        member.joinWaiter?.resume(returning: JoinGroupResponse(errorCode: KafkaErrorCode.unknownMemberId.code, generationId: -1, leader: "", memberId: member.memberId))
        member.joinWaiter = nil
        member.syncWaiter?.resume(returning: SyncGroupResponse(errorCode: KafkaErrorCode.unknownMemberId.code))
        member.syncWaiter = nil
        if group.leaderId == member.memberId { group.leaderId = nil }
    }

    /// Handles SyncGroup; `reply` is resumed now or when the leader's assignment arrives.
    func sync(_ request: SyncGroupRequest, reply: CheckedContinuation<SyncGroupResponse, Never>) {
        func fail(_ code: KafkaErrorCode) { reply.resume(returning: SyncGroupResponse(errorCode: code.code)) }
        guard let group = groups[request.groupId], let member = group.member(request.memberId) else { return fail(.unknownMemberId) }
        if let instance = request.groupInstanceId, member.groupInstanceId != instance { return fail(.fencedInstanceId) }
        guard request.generationId == group.generationId else { return fail(.illegalGeneration) }
        member.lastHeartbeatMs = nowMs()
        switch group.phase {
        case .preparingRebalance:
            fail(.rebalanceInProgress)
        case .stable:
            reply.resume(returning: SyncGroupResponse(errorCode: 0, assignment: member.assignment))
        case .completingRebalance:
            member.syncWaiter?.resume(returning: SyncGroupResponse(errorCode: KafkaErrorCode.rebalanceInProgress.code))
            member.syncWaiter = reply
            if member.memberId == group.leaderId {
                for m in group.members {
                    m.assignment = request.assignments.first { $0.memberId == m.memberId }?.assignment ?? ByteBuffer()
                }
                group.phase = .stable
                for m in group.members {
                    let waiter = m.syncWaiter
                    m.syncWaiter = nil
                    waiter?.resume(returning: SyncGroupResponse(errorCode: 0, assignment: m.assignment))
                }
            }
        case .empty, .dead:
            fail(.unknownMemberId)
        }
    }

    /// Handles Heartbeat.
    func heartbeat(_ request: HeartbeatRequest) -> KafkaErrorCode {
        guard let group = groups[request.groupId], let member = group.member(request.memberId) else { return .unknownMemberId }
        if let instance = request.groupInstanceId, member.groupInstanceId != instance { return .fencedInstanceId }
        member.lastHeartbeatMs = nowMs()
        guard request.generationId == group.generationId else { return .illegalGeneration }
        return group.phase == .preparingRebalance ? .rebalanceInProgress : .none
    }

    /// Handles one leaving member; returns the error for it.
    func leave(groupId: String, memberId: String, groupInstanceId: String?) -> KafkaErrorCode {
        guard let group = groups[groupId] else { return .unknownMemberId }
        let member: GroupMember?
        if let groupInstanceId, memberId.isEmpty {
            member = group.member(instanceId: groupInstanceId)
        } else {
            member = group.member(memberId)
            if let m = member, let groupInstanceId, m.groupInstanceId != groupInstanceId { return .fencedInstanceId }
        }
        guard let member else { return .unknownMemberId }
        remove(member, from: group)
        let now = nowMs()
        if group.members.isEmpty {
            group.phase = .empty
            group.generationId += 1
            group.protocolName = nil
        } else {
            if group.phase != .preparingRebalance { prepareRebalance(group, now: now) }
            tryCompleteJoin(group, now: now)
        }
        return .none
    }

    /// Checks a member and generation for an offset commit: `.none` when allowed.
    func validateCommit(group: ConsumerGroup?, generation: Int32, memberId: String, groupInstanceId: String?) -> KafkaErrorCode {
        guard let group else { return generation < 0 ? .none : .unknownMemberId }
        if generation < 0 && memberId.isEmpty {
            return group.members.isEmpty ? .none : .unknownMemberId
        }
        guard let member = group.member(memberId) else { return .unknownMemberId }
        if let groupInstanceId, member.groupInstanceId != groupInstanceId { return .fencedInstanceId }
        guard generation == group.generationId else { return .illegalGeneration }
        if group.phase == .completingRebalance { return .rebalanceInProgress }
        member.lastHeartbeatMs = nowMs()
        return .none
    }

    /// Expires members whose session timed out and completes overdue rebalances.
    func tick(now: Int64) {
        for group in groups.values {
            for (id, expiry) in group.pendingMemberIds where expiry < now { group.pendingMemberIds[id] = nil }
            let expired = group.members.filter { $0.joinWaiter == nil && now - $0.lastHeartbeatMs > Int64($0.sessionTimeoutMs) }
            if !expired.isEmpty {
                for member in expired { remove(member, from: group) }
                if group.members.isEmpty {
                    if group.phase != .empty { group.generationId += 1 }
                    group.phase = .empty
                    group.protocolName = nil
                } else if group.phase != .preparingRebalance {
                    prepareRebalance(group, now: now)
                }
            }
            tryCompleteJoin(group, now: now)
        }
    }

    /// Answers every waiting request (the broker is stopping).
    func shutdown() {
        for group in groups.values {
            for member in group.members {
                member.joinWaiter?.resume(returning: JoinGroupResponse(errorCode: KafkaErrorCode.notCoordinator.code, generationId: -1, leader: "", memberId: member.memberId))
                member.joinWaiter = nil
                member.syncWaiter?.resume(returning: SyncGroupResponse(errorCode: KafkaErrorCode.notCoordinator.code))
                member.syncWaiter = nil
            }
        }
    }
}
