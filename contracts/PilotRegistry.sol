// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/**
 * @title PilotRegistry
 * @notice Registry of programme pilots: registered sponsors propose pilots, the programme
 * office approves or rejects them, sponsors run them, report milestones with evidence hashes
 * and anchor integrity checkpoints of their server state.
 *
 * Lifecycle (no other edge exists; anything else reverts with {InvalidTransition}):
 *
 *     Proposed ──approve (office)──► Approved ──activate (sponsor)──► Active ──complete (sponsor)──► Completed
 *        │                              │                               │
 *        └─reject (office)─► Rejected   └──────terminate (office)───────┴──► Terminated
 *
 * Checkpoints: each pilot has an append-only hash chain. The sponsor anchors
 * `(seq, root, prevRoot)` while the pilot is Active (not while Approved: the log starts when
 * the pilot goes live). The chain rule is `seq == lastSeq + 1` (the first seq is 1) and
 * `prevRoot == lastRoot` (bytes32(0) for the first); a gap reverts with {CheckpointGap},
 * a fork with {CheckpointFork}. A root may appear at most once per pilot, so
 * {checkpointAnchored} is unambiguous.
 *
 * Sponsors: only a currently registered sponsor may propose or act on its pilots; after
 * deregistration its pilots can still be terminated by the office.
 *
 * Writes stop while paused; reads never do. No personal data: titles and URIs are public
 * programme information, evidence and details are hashes.
 */
contract PilotRegistry is AccessControlDefaultAdminRules, Pausable {
    /// @notice Role of the programme office: registers sponsors, approves, rejects, terminates.
    bytes32 public constant PROGRAMME_OFFICE_ROLE = keccak256("PROGRAMME_OFFICE_ROLE");
    /// @notice Role allowed to pause and unpause writes in an emergency.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice Lifecycle status of a pilot (None = no such pilot).
    enum Status {
        None,
        Proposed,
        Approved,
        Active,
        Completed,
        Rejected,
        Terminated
    }

    struct Pilot {
        address sponsor; // slot 0: 160
        Status status; //          + 8
        uint16 reasonCode; //      + 16  (rejection / termination reason)
        uint64 proposedAt; //      + 64 = 248
        uint64 updatedAt; // slot 1
        uint64 lastSeq; //         checkpoint chain head
        uint64 lastAnchoredAt;
        bytes32 lastRoot; // slot 2
        bytes32 detailsHash; // slot 3
        string title;
        string uri;
    }

    struct Milestone {
        bytes32 evidenceHash;
        uint64 reportedAt;
        string uri;
    }

    struct Anchor {
        uint64 seq;
        uint64 anchoredAt;
    }

    struct Sponsor {
        bool registered;
        uint64 registeredAt;
        string name;
    }

    uint256 private _pilotCount;
    mapping(uint256 pilotId => Pilot) private _pilots;
    mapping(uint256 pilotId => Milestone[]) private _milestones;
    mapping(uint256 pilotId => mapping(bytes32 root => Anchor)) private _anchors;
    mapping(uint256 pilotId => mapping(uint64 seq => bytes32 root)) private _rootsBySeq;
    mapping(address sponsor => Sponsor) private _sponsors;

    /**
     * @notice Emitted when a sponsor is registered.
     * @param sponsor The sponsor address.
     * @param office The programme-office account.
     * @param name Public name of the sponsoring organisation.
     */
    event SponsorRegistered(address indexed sponsor, address indexed office, string name);

    /**
     * @notice Emitted when a sponsor is deregistered.
     * @param sponsor The sponsor address.
     * @param office The programme-office account.
     */
    event SponsorDeregistered(address indexed sponsor, address indexed office);

    /**
     * @notice Emitted when a sponsor proposes a pilot.
     * @param pilotId The new pilot id (starts at 1).
     * @param sponsor The proposing sponsor.
     * @param detailsHash Hash of the full proposal document.
     * @param title Public title.
     * @param uri Public URI of the proposal.
     */
    event PilotProposed(
        uint256 indexed pilotId, address indexed sponsor, bytes32 indexed detailsHash, string title, string uri
    );

    /**
     * @notice Emitted on every lifecycle transition after the proposal.
     * @param pilotId The pilot.
     * @param to The new status.
     * @param by The account that made the transition.
     * @param from The previous status.
     * @param reasonCode Reason code (rejection / termination), 0 otherwise.
     */
    event PilotStatusChanged(
        uint256 indexed pilotId, Status indexed to, address indexed by, Status from, uint16 reasonCode
    );

    /**
     * @notice Emitted when a sponsor reports a milestone.
     * @param pilotId The pilot.
     * @param index Milestone index (0-based).
     * @param evidenceHash Hash of the evidence.
     * @param uri Public URI of the evidence.
     */
    event MilestoneReported(uint256 indexed pilotId, uint256 indexed index, bytes32 indexed evidenceHash, string uri);

    /**
     * @notice Emitted when a checkpoint is appended to a pilot's chain.
     * @param pilotId The pilot.
     * @param seq Sequence number (1, 2, 3, ...).
     * @param root The checkpoint root.
     * @param prevRoot The previous root (bytes32(0) for seq 1).
     * @param uri Public URI of the checkpoint data.
     */
    event CheckpointAnchored(
        uint256 indexed pilotId, uint64 indexed seq, bytes32 indexed root, bytes32 prevRoot, string uri
    );

    /// @notice The zero address was given as a sponsor.
    error ZeroSponsor();

    /// @notice A required string (name or title) is empty.
    error EmptyString();

    /// @notice A required hash is zero.
    error ZeroHash();

    /**
     * @notice The sponsor is already registered.
     * @param sponsor The sponsor address.
     */
    error SponsorAlreadyRegistered(address sponsor);

    /**
     * @notice The address is not a registered sponsor.
     * @param sponsor The address.
     */
    error SponsorNotRegistered(address sponsor);

    /**
     * @notice No pilot with this id.
     * @param pilotId The id.
     */
    error UnknownPilot(uint256 pilotId);

    /**
     * @notice The caller is not the pilot's sponsor.
     * @param pilotId The pilot.
     * @param caller The caller.
     * @param sponsor The pilot's sponsor.
     */
    error NotPilotSponsor(uint256 pilotId, address caller, address sponsor);

    /**
     * @notice The lifecycle has no edge `from -> to`.
     * @param pilotId The pilot.
     * @param from Current status.
     * @param to Requested status.
     */
    error InvalidTransition(uint256 pilotId, Status from, Status to);

    /**
     * @notice The action needs the pilot to be Active.
     * @param pilotId The pilot.
     * @param status Its current status.
     */
    error PilotNotActive(uint256 pilotId, Status status);

    /**
     * @notice The checkpoint sequence number is not `lastSeq + 1`.
     * @param pilotId The pilot.
     * @param expectedSeq The only acceptable seq (`lastSeq + 1`).
     * @param seq The given seq.
     */
    error CheckpointGap(uint256 pilotId, uint64 expectedSeq, uint64 seq);

    /**
     * @notice The checkpoint's `prevRoot` is not the last anchored root.
     * @param pilotId The pilot.
     * @param seq The given seq.
     * @param expectedPrevRoot The last anchored root (bytes32(0) before the first).
     * @param prevRoot The given prevRoot.
     */
    error CheckpointFork(uint256 pilotId, uint64 seq, bytes32 expectedPrevRoot, bytes32 prevRoot);

    /**
     * @notice The root was already anchored for this pilot.
     * @param pilotId The pilot.
     * @param root The root.
     * @param seq The seq under which it was anchored.
     */
    error CheckpointRootReused(uint256 pilotId, bytes32 root, uint64 seq);

    /**
     * @notice A milestone index is out of range.
     * @param pilotId The pilot.
     * @param index The requested index.
     * @param count The number of milestones.
     */
    error MilestoneIndexOutOfRange(uint256 pilotId, uint256 index, uint256 count);

    /**
     * @notice Deploys the registry.
     * @param initialDelay Delay (seconds) of the two-step default-admin transfer.
     * @param admin Initial default admin (grants PROGRAMME_OFFICE_ROLE and PAUSER_ROLE afterwards).
     */
    constructor(uint48 initialDelay, address admin) AccessControlDefaultAdminRules(initialDelay, admin) {}

    // ───────────────────────────── writes: programme office ─────────────────────────────

    /**
     * @notice Registers a sponsor organisation.
     * @param sponsor The sponsor address.
     * @param name Public name of the organisation (non-empty).
     */
    function registerSponsor(address sponsor, string calldata name)
        external
        onlyRole(PROGRAMME_OFFICE_ROLE)
        whenNotPaused
    {
        if (sponsor == address(0)) revert ZeroSponsor();
        if (bytes(name).length == 0) revert EmptyString();
        Sponsor storage s = _sponsors[sponsor];
        if (s.registered) revert SponsorAlreadyRegistered(sponsor);
        s.registered = true;
        s.registeredAt = uint64(block.timestamp);
        s.name = name;
        emit SponsorRegistered(sponsor, _msgSender(), name);
    }

    /**
     * @notice Deregisters a sponsor: it can no longer propose or act on its pilots.
     * @param sponsor The sponsor address.
     */
    function deregisterSponsor(address sponsor) external onlyRole(PROGRAMME_OFFICE_ROLE) whenNotPaused {
        Sponsor storage s = _sponsors[sponsor];
        if (!s.registered) revert SponsorNotRegistered(sponsor);
        s.registered = false;
        emit SponsorDeregistered(sponsor, _msgSender());
    }

    /**
     * @notice Approves a Proposed pilot.
     * @param pilotId The pilot.
     */
    function approve(uint256 pilotId) external onlyRole(PROGRAMME_OFFICE_ROLE) whenNotPaused {
        _move(pilotId, Status.Approved, 0);
    }

    /**
     * @notice Rejects a Proposed pilot (terminal).
     * @param pilotId The pilot.
     * @param reasonCode Programme-defined reason code.
     */
    function reject(uint256 pilotId, uint16 reasonCode) external onlyRole(PROGRAMME_OFFICE_ROLE) whenNotPaused {
        _move(pilotId, Status.Rejected, reasonCode);
    }

    /**
     * @notice Terminates an Approved or Active pilot (terminal).
     * @param pilotId The pilot.
     * @param reasonCode Programme-defined reason code.
     */
    function terminate(uint256 pilotId, uint16 reasonCode) external onlyRole(PROGRAMME_OFFICE_ROLE) whenNotPaused {
        _move(pilotId, Status.Terminated, reasonCode);
    }

    // ───────────────────────────────── writes: sponsor ─────────────────────────────────

    /**
     * @notice Proposes a pilot; the caller must be a registered sponsor.
     * @param title Public title (non-empty).
     * @param uri Public URI of the proposal.
     * @param detailsHash Hash of the full proposal document (non-zero).
     * @return pilotId The new pilot id (ids start at 1).
     */
    function propose(string calldata title, string calldata uri, bytes32 detailsHash)
        external
        whenNotPaused
        returns (uint256 pilotId)
    {
        address sponsor = _msgSender();
        if (!_sponsors[sponsor].registered) revert SponsorNotRegistered(sponsor);
        if (bytes(title).length == 0) revert EmptyString();
        if (detailsHash == bytes32(0)) revert ZeroHash();
        pilotId = ++_pilotCount;
        Pilot storage p = _pilots[pilotId];
        p.sponsor = sponsor;
        p.status = Status.Proposed;
        p.proposedAt = uint64(block.timestamp);
        p.updatedAt = uint64(block.timestamp);
        p.detailsHash = detailsHash;
        p.title = title;
        p.uri = uri;
        emit PilotProposed(pilotId, sponsor, detailsHash, title, uri);
    }

    /**
     * @notice Starts an Approved pilot.
     * @param pilotId The pilot (caller must be its registered sponsor).
     */
    function activate(uint256 pilotId) external whenNotPaused {
        _onlySponsor(pilotId);
        _move(pilotId, Status.Active, 0);
    }

    /**
     * @notice Completes an Active pilot (terminal).
     * @param pilotId The pilot (caller must be its registered sponsor).
     */
    function complete(uint256 pilotId) external whenNotPaused {
        _onlySponsor(pilotId);
        _move(pilotId, Status.Completed, 0);
    }

    /**
     * @notice Reports a milestone of an Active pilot.
     * @param pilotId The pilot (caller must be its registered sponsor).
     * @param evidenceHash Hash of the evidence (non-zero).
     * @param uri Public URI of the evidence.
     */
    function reportMilestone(uint256 pilotId, bytes32 evidenceHash, string calldata uri) external whenNotPaused {
        Pilot storage p = _onlySponsor(pilotId);
        if (p.status != Status.Active) revert PilotNotActive(pilotId, p.status);
        if (evidenceHash == bytes32(0)) revert ZeroHash();
        Milestone[] storage ms = _milestones[pilotId];
        uint256 index = ms.length;
        Milestone storage m = ms.push();
        m.evidenceHash = evidenceHash;
        m.reportedAt = uint64(block.timestamp);
        m.uri = uri;
        emit MilestoneReported(pilotId, index, evidenceHash, uri);
    }

    /**
     * @notice Appends a checkpoint to an Active pilot's hash chain.
     * @dev Requires `seq == lastSeq + 1` (first seq is 1) else {CheckpointGap}, then
     * `prevRoot == lastRoot` (bytes32(0) for the first) else {CheckpointFork}; `root` must be
     * non-zero and not used before in this pilot.
     * @param pilotId The pilot (caller must be its registered sponsor).
     * @param seq Sequence number, `lastSeq + 1`.
     * @param root The new root (non-zero, new for this pilot).
     * @param prevRoot The last anchored root.
     * @param uri Public URI of the checkpoint data.
     */
    function anchorCheckpoint(uint256 pilotId, uint64 seq, bytes32 root, bytes32 prevRoot, string calldata uri)
        external
        whenNotPaused
    {
        Pilot storage p = _onlySponsor(pilotId);
        if (p.status != Status.Active) revert PilotNotActive(pilotId, p.status);
        uint64 expected = p.lastSeq + 1;
        if (seq != expected) revert CheckpointGap(pilotId, expected, seq);
        bytes32 lastRoot = p.lastRoot;
        if (prevRoot != lastRoot) revert CheckpointFork(pilotId, seq, lastRoot, prevRoot);
        if (root == bytes32(0)) revert ZeroHash();
        Anchor storage a = _anchors[pilotId][root];
        if (a.seq != 0) revert CheckpointRootReused(pilotId, root, a.seq);
        a.seq = seq;
        a.anchoredAt = uint64(block.timestamp);
        _rootsBySeq[pilotId][seq] = root;
        p.lastSeq = seq;
        p.lastRoot = root;
        p.lastAnchoredAt = uint64(block.timestamp);
        emit CheckpointAnchored(pilotId, seq, root, prevRoot, uri);
    }

    /**
     * @notice Stops all writes (emergency). Reads keep working.
     */
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /**
     * @notice Resumes writes.
     */
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ─────────────────────────────────────── reads ───────────────────────────────────────

    /**
     * @notice Number of pilots ever proposed (ids are 1..pilotCount).
     * @return The count.
     */
    function pilotCount() external view returns (uint256) {
        return _pilotCount;
    }

    /**
     * @notice A pilot, flat. Unknown ids return status None and empty fields (no revert).
     * @param pilotId The pilot.
     * @return sponsor The sponsor.
     * @return status Lifecycle status.
     * @return title Public title.
     * @return uri Public URI.
     * @return detailsHash Hash of the proposal document.
     * @return proposedAt When it was proposed.
     * @return updatedAt Time of the last lifecycle transition.
     * @return reasonCode Rejection / termination reason (0 otherwise).
     */
    function pilot(uint256 pilotId)
        external
        view
        returns (
            address sponsor,
            Status status,
            string memory title,
            string memory uri,
            bytes32 detailsHash,
            uint64 proposedAt,
            uint64 updatedAt,
            uint16 reasonCode
        )
    {
        Pilot storage p = _pilots[pilotId];
        return (p.sponsor, p.status, p.title, p.uri, p.detailsHash, p.proposedAt, p.updatedAt, p.reasonCode);
    }

    /**
     * @notice Head of a pilot's checkpoint chain.
     * @param pilotId The pilot.
     * @return seq Last sequence number (0 if none yet).
     * @return root Last root (bytes32(0) if none yet).
     * @return at When it was anchored (0 if none yet).
     */
    function lastCheckpoint(uint256 pilotId) external view returns (uint64 seq, bytes32 root, uint64 at) {
        Pilot storage p = _pilots[pilotId];
        return (p.lastSeq, p.lastRoot, p.lastAnchoredAt);
    }

    /**
     * @notice Whether a root was anchored for a pilot, and when.
     * @param pilotId The pilot.
     * @param root The root.
     * @return anchored True if anchored.
     * @return seq Its sequence number (0 if not anchored).
     * @return anchoredAt When it was anchored (0 if not anchored).
     */
    function checkpointAnchored(uint256 pilotId, bytes32 root)
        external
        view
        returns (bool anchored, uint64 seq, uint64 anchoredAt)
    {
        Anchor memory a = _anchors[pilotId][root];
        return (a.seq != 0, a.seq, a.anchoredAt);
    }

    /**
     * @notice The root anchored at a given sequence number.
     * @param pilotId The pilot.
     * @param seq The sequence number.
     * @return root The root (bytes32(0) if none).
     */
    function checkpointRoot(uint256 pilotId, uint64 seq) external view returns (bytes32 root) {
        return _rootsBySeq[pilotId][seq];
    }

    /**
     * @notice Number of milestones reported for a pilot.
     * @param pilotId The pilot.
     * @return The count.
     */
    function milestoneCount(uint256 pilotId) external view returns (uint256) {
        return _milestones[pilotId].length;
    }

    /**
     * @notice One milestone of a pilot.
     * @param pilotId The pilot.
     * @param index Milestone index, `< milestoneCount(pilotId)`.
     * @return evidenceHash Hash of the evidence.
     * @return reportedAt When it was reported.
     * @return uri Public URI of the evidence.
     */
    function milestone(uint256 pilotId, uint256 index)
        external
        view
        returns (bytes32 evidenceHash, uint64 reportedAt, string memory uri)
    {
        Milestone[] storage ms = _milestones[pilotId];
        if (index >= ms.length) revert MilestoneIndexOutOfRange(pilotId, index, ms.length);
        Milestone storage m = ms[index];
        return (m.evidenceHash, m.reportedAt, m.uri);
    }

    /**
     * @notice A sponsor's registration.
     * @param sponsor The address.
     * @return registered Whether it is currently registered.
     * @return registeredAt When it was (last) registered (0 if never).
     * @return name Public name ("" if never registered).
     */
    function sponsorInfo(address sponsor) external view returns (bool registered, uint64 registeredAt, string memory name) {
        Sponsor storage s = _sponsors[sponsor];
        return (s.registered, s.registeredAt, s.name);
    }

    // ─────────────────────────────────────── internal ───────────────────────────────────────

    /// @dev Returns the pilot, reverting unless it exists and the caller is its registered sponsor.
    function _onlySponsor(uint256 pilotId) internal view returns (Pilot storage p) {
        p = _pilots[pilotId];
        address sponsor = p.sponsor;
        if (sponsor == address(0)) revert UnknownPilot(pilotId);
        if (sponsor != _msgSender()) revert NotPilotSponsor(pilotId, _msgSender(), sponsor);
        if (!_sponsors[sponsor].registered) revert SponsorNotRegistered(sponsor);
    }

    /// @dev Applies a lifecycle transition if the edge exists.
    function _move(uint256 pilotId, Status to, uint16 reasonCode) internal {
        Pilot storage p = _pilots[pilotId];
        Status from = p.status;
        if (from == Status.None) revert UnknownPilot(pilotId);
        if (!_isEdge(from, to)) revert InvalidTransition(pilotId, from, to);
        p.status = to;
        p.reasonCode = reasonCode;
        p.updatedAt = uint64(block.timestamp);
        emit PilotStatusChanged(pilotId, to, _msgSender(), from, reasonCode);
    }

    /// @dev The lifecycle graph.
    function _isEdge(Status from, Status to) internal pure returns (bool) {
        if (from == Status.Proposed) return to == Status.Approved || to == Status.Rejected;
        if (from == Status.Approved) return to == Status.Active || to == Status.Terminated;
        if (from == Status.Active) return to == Status.Completed || to == Status.Terminated;
        return false;
    }
}
