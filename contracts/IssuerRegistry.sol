// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/**
 * @title IssuerRegistry
 * @notice Accreditation of credential issuers by the Daftar programme office.
 *
 * An issuer is an address (an EOA or an EIP-1271 contract wallet) that the programme office
 * accredits with a name, a metadata URI and a validity window. The office may later suspend,
 * reinstate, renew or revoke the accreditation. Every change is appended to a per-issuer
 * history so that {standingAt} answers for any past moment.
 *
 * Lifecycle of the stored status:
 *
 *     None ──accredit──► Active ──suspend──► Suspended ──reinstate──► Active
 *                          │                    │
 *                          └──────revokeAccreditation──────► Revoked (terminal)
 *
 * `Expired` and `NotYetValid` are never stored: they are derived from the validity window
 * when the stored status is `Active`. The window is `[validFrom, validUntil)`; `validUntil == 0`
 * means open-ended. `renew` replaces the window of an Active or Suspended issuer.
 *
 * Decisions: accrediting an address that already has a record reverts ({IssuerAlreadyAccredited}),
 * whatever its status; a suspended issuer comes back with {reinstate}; a revoked issuer is
 * terminal and cannot come back (the organisation needs a new address).
 *
 * Writes stop while paused; reads never do. No personal data is stored: issuers are organisations.
 *
 * @dev The current status and validity window live in ONE storage slot ({_current}) so that
 * {isInGoodStanding}, called by the credential registry on every issue, costs one cold SLOAD.
 */
contract IssuerRegistry is AccessControlDefaultAdminRules, Pausable {
    /// @notice Role of the programme office: accredits, suspends, reinstates, renews, revokes issuers.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice Role allowed to pause and unpause writes in an emergency.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /**
     * @notice Standing of an issuer at a given moment.
     * @dev None: never accredited (at that time). Active: accredited and within its window.
     * Suspended / Revoked: stored status (reported regardless of the window).
     * Expired: Active but at or after `validUntil`. NotYetValid: Active but before `validFrom`.
     */
    enum Standing {
        None,
        Active,
        Suspended,
        Revoked,
        Expired,
        NotYetValid
    }

    /// @dev Current record; exactly one storage slot (8 + 64 + 64 + 64 + 16 = 216 bits).
    struct Current {
        Standing status; // only None, Active, Suspended, Revoked are stored
        uint64 validFrom;
        uint64 validUntil; // 0 = open-ended
        uint64 accreditedAt;
        uint16 reasonCode; // reason of the last suspension / revocation, 0 otherwise
    }

    /// @dev One history entry; exactly one storage slot (64 + 8 + 64 + 64 + 16 = 216 bits).
    struct Change {
        uint64 at;
        Standing status;
        uint64 validFrom;
        uint64 validUntil;
        uint16 reasonCode;
    }

    mapping(address issuer => Current) private _current;
    mapping(address issuer => Change[]) private _history;
    mapping(address issuer => string) private _names;
    mapping(address issuer => string) private _metadataURIs;

    /**
     * @notice Emitted when an issuer is accredited.
     * @param issuer The accredited issuer address.
     * @param registrar The programme-office account that accredited it.
     * @param name Public name of the issuing organisation.
     * @param metadataURI URI of the issuer's public metadata.
     * @param validFrom Start of the validity window (unix seconds, inclusive).
     * @param validUntil End of the validity window (unix seconds, exclusive; 0 = open-ended).
     */
    event IssuerAccredited(
        address indexed issuer,
        address indexed registrar,
        string name,
        string metadataURI,
        uint64 validFrom,
        uint64 validUntil
    );

    /**
     * @notice Emitted when an issuer is suspended.
     * @param issuer The suspended issuer.
     * @param registrar The programme-office account that suspended it.
     * @param reasonCode Programme-defined reason code.
     */
    event IssuerSuspended(address indexed issuer, address indexed registrar, uint16 indexed reasonCode);

    /**
     * @notice Emitted when a suspended issuer is reinstated.
     * @param issuer The reinstated issuer.
     * @param registrar The programme-office account that reinstated it.
     */
    event IssuerReinstated(address indexed issuer, address indexed registrar);

    /**
     * @notice Emitted when an issuer's accreditation is revoked (terminal).
     * @param issuer The revoked issuer.
     * @param registrar The programme-office account that revoked it.
     * @param reasonCode Programme-defined reason code.
     */
    event IssuerRevoked(address indexed issuer, address indexed registrar, uint16 indexed reasonCode);

    /**
     * @notice Emitted when an issuer's validity window is replaced.
     * @param issuer The renewed issuer.
     * @param registrar The programme-office account that renewed it.
     * @param validFrom New start of the window (inclusive).
     * @param validUntil New end of the window (exclusive; 0 = open-ended).
     */
    event IssuerRenewed(address indexed issuer, address indexed registrar, uint64 validFrom, uint64 validUntil);

    /**
     * @notice Emitted when an issuer's metadata URI changes.
     * @param issuer The issuer.
     * @param registrar The programme-office account that made the change.
     * @param metadataURI The new metadata URI.
     */
    event IssuerMetadataUpdated(address indexed issuer, address indexed registrar, string metadataURI);

    /// @notice The zero address was given where an issuer address is required.
    error ZeroIssuer();

    /// @notice The issuer name is empty.
    error EmptyName();

    /**
     * @notice The validity window is empty or inverted.
     * @param validFrom The given start.
     * @param validUntil The given end (non-zero and not after `validFrom`).
     */
    error InvalidValidityWindow(uint64 validFrom, uint64 validUntil);

    /**
     * @notice The address already has an accreditation record (of any status).
     * @param issuer The issuer address.
     * @param status Its current stored status.
     */
    error IssuerAlreadyAccredited(address issuer, Standing status);

    /**
     * @notice The requested change is not allowed from the issuer's current stored status.
     * @param issuer The issuer address.
     * @param from Its current stored status.
     * @param to The status the call would have moved it to.
     */
    error InvalidStandingChange(address issuer, Standing from, Standing to);

    /**
     * @notice A history index is out of range.
     * @param issuer The issuer address.
     * @param index The requested index.
     * @param length The history length.
     */
    error HistoryIndexOutOfRange(address issuer, uint256 index, uint256 length);

    /**
     * @notice Deploys the registry.
     * @param initialDelay Delay (seconds) of the two-step default-admin transfer.
     * @param admin Initial default admin (grants REGISTRAR_ROLE and PAUSER_ROLE afterwards).
     */
    constructor(uint48 initialDelay, address admin) AccessControlDefaultAdminRules(initialDelay, admin) {}

    // ─────────────────────────────── writes (programme office) ───────────────────────────────

    /**
     * @notice Accredits a new issuer.
     * @dev Reverts if the address already has a record (Active, Suspended or Revoked): use
     * {reinstate} for a suspended issuer; a revoked issuer cannot be re-accredited.
     * @param issuer Issuer address (EOA or EIP-1271 wallet).
     * @param name Public name of the issuing organisation (non-empty).
     * @param metadataURI URI of the issuer's public metadata (may be empty).
     * @param validFrom Start of the validity window, unix seconds, inclusive (0 = immediately).
     * @param validUntil End of the validity window, unix seconds, exclusive (0 = open-ended).
     */
    function accredit(
        address issuer,
        string calldata name,
        string calldata metadataURI,
        uint64 validFrom,
        uint64 validUntil
    ) external onlyRole(REGISTRAR_ROLE) whenNotPaused {
        if (issuer == address(0)) revert ZeroIssuer();
        if (bytes(name).length == 0) revert EmptyName();
        _checkWindow(validFrom, validUntil);
        Standing status = _current[issuer].status;
        if (status != Standing.None) revert IssuerAlreadyAccredited(issuer, status);

        _current[issuer] = Current({
            status: Standing.Active,
            validFrom: validFrom,
            validUntil: validUntil,
            accreditedAt: uint64(block.timestamp),
            reasonCode: 0
        });
        _names[issuer] = name;
        _metadataURIs[issuer] = metadataURI;
        _record(issuer);
        emit IssuerAccredited(issuer, _msgSender(), name, metadataURI, validFrom, validUntil);
    }

    /**
     * @notice Suspends an Active issuer; it can no longer issue until reinstated.
     * @param issuer The issuer to suspend.
     * @param reasonCode Programme-defined reason code.
     */
    function suspend(address issuer, uint16 reasonCode) external onlyRole(REGISTRAR_ROLE) whenNotPaused {
        _transition(issuer, Standing.Active, Standing.Suspended, reasonCode);
        emit IssuerSuspended(issuer, _msgSender(), reasonCode);
    }

    /**
     * @notice Reinstates a Suspended issuer (back to Active with its existing window).
     * @param issuer The issuer to reinstate.
     */
    function reinstate(address issuer) external onlyRole(REGISTRAR_ROLE) whenNotPaused {
        _transition(issuer, Standing.Suspended, Standing.Active, 0);
        emit IssuerReinstated(issuer, _msgSender());
    }

    /**
     * @notice Revokes an issuer's accreditation. Terminal: the address can never issue again.
     * @dev Allowed from Active or Suspended.
     * @param issuer The issuer to revoke.
     * @param reasonCode Programme-defined reason code.
     */
    function revokeAccreditation(address issuer, uint16 reasonCode) external onlyRole(REGISTRAR_ROLE) whenNotPaused {
        Standing status = _current[issuer].status;
        if (status != Standing.Active && status != Standing.Suspended) {
            revert InvalidStandingChange(issuer, status, Standing.Revoked);
        }
        _transition(issuer, status, Standing.Revoked, reasonCode);
        emit IssuerRevoked(issuer, _msgSender(), reasonCode);
    }

    /**
     * @notice Replaces the validity window of an Active or Suspended issuer (e.g. renewal).
     * @param issuer The issuer to renew.
     * @param validFrom New start of the window, inclusive.
     * @param validUntil New end of the window, exclusive (0 = open-ended).
     */
    function renew(address issuer, uint64 validFrom, uint64 validUntil)
        external
        onlyRole(REGISTRAR_ROLE)
        whenNotPaused
    {
        _checkWindow(validFrom, validUntil);
        Current storage cur = _current[issuer];
        Standing status = cur.status;
        if (status != Standing.Active && status != Standing.Suspended) {
            revert InvalidStandingChange(issuer, status, status);
        }
        cur.validFrom = validFrom;
        cur.validUntil = validUntil;
        _record(issuer);
        emit IssuerRenewed(issuer, _msgSender(), validFrom, validUntil);
    }

    /**
     * @notice Replaces the metadata URI of an accredited (not revoked) issuer.
     * @param issuer The issuer.
     * @param metadataURI The new metadata URI.
     */
    function setMetadataURI(address issuer, string calldata metadataURI)
        external
        onlyRole(REGISTRAR_ROLE)
        whenNotPaused
    {
        Standing status = _current[issuer].status;
        if (status != Standing.Active && status != Standing.Suspended) {
            revert InvalidStandingChange(issuer, status, status);
        }
        _metadataURIs[issuer] = metadataURI;
        emit IssuerMetadataUpdated(issuer, _msgSender(), metadataURI);
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
     * @notice Whether `issuer` may issue right now: stored status Active and the current time
     * inside `[validFrom, validUntil)`.
     * @dev One cold SLOAD. Never reverts, not affected by pause.
     * @param issuer The issuer address.
     * @return True if the issuer is in good standing now.
     */
    function isInGoodStanding(address issuer) external view returns (bool) {
        return _evaluate(_current[issuer].status, _current[issuer].validFrom, _current[issuer].validUntil, block.timestamp)
            == Standing.Active;
    }

    /**
     * @notice The issuer's standing now (same rule as {standingAt} with the current time).
     * @dev One cold SLOAD. Never reverts, not affected by pause.
     * @param issuer The issuer address.
     * @return The current standing.
     */
    function currentStanding(address issuer) external view returns (Standing) {
        Current storage cur = _current[issuer];
        return _evaluate(cur.status, cur.validFrom, cur.validUntil, block.timestamp);
    }

    /**
     * @notice The issuer's standing at a past (or future) moment, from its history.
     * @dev The last history entry with `at <= timestamp` applies (several changes in one block:
     * the last wins). Its stored status is then judged against the window it recorded.
     * Never reverts. For a future `timestamp` the answer assumes no further change.
     * @param issuer The issuer address.
     * @param timestamp Unix seconds.
     * @return The standing at `timestamp` (None if not accredited yet at that time).
     */
    function standingAt(address issuer, uint64 timestamp) external view returns (Standing) {
        Change[] storage hist = _history[issuer];
        // upper bound: first index with at > timestamp
        uint256 lo = 0;
        uint256 hi = hist.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (hist[mid].at > timestamp) hi = mid;
            else lo = mid + 1;
        }
        if (lo == 0) return Standing.None;
        Change storage c = hist[lo - 1];
        return _evaluate(c.status, c.validFrom, c.validUntil, timestamp);
    }

    /**
     * @notice Everything known about an issuer, flat.
     * @param issuer The issuer address.
     * @return standing Standing now.
     * @return name Public name ("" if never accredited).
     * @return metadataURI Metadata URI.
     * @return validFrom Window start (inclusive).
     * @return validUntil Window end (exclusive; 0 = open-ended).
     * @return accreditedAt When it was accredited (0 if never).
     * @return reasonCode Reason of the last suspension / revocation (0 if none in force).
     * @return historyCount Number of history entries.
     */
    function issuerInfo(address issuer)
        external
        view
        returns (
            Standing standing,
            string memory name,
            string memory metadataURI,
            uint64 validFrom,
            uint64 validUntil,
            uint64 accreditedAt,
            uint16 reasonCode,
            uint256 historyCount
        )
    {
        Current memory cur = _current[issuer];
        standing = _evaluate(cur.status, cur.validFrom, cur.validUntil, block.timestamp);
        name = _names[issuer];
        metadataURI = _metadataURIs[issuer];
        validFrom = cur.validFrom;
        validUntil = cur.validUntil;
        accreditedAt = cur.accreditedAt;
        reasonCode = cur.reasonCode;
        historyCount = _history[issuer].length;
    }

    /**
     * @notice Number of history entries of an issuer.
     * @param issuer The issuer address.
     * @return The history length.
     */
    function historyLength(address issuer) external view returns (uint256) {
        return _history[issuer].length;
    }

    /**
     * @notice One history entry of an issuer (append-only, oldest first).
     * @param issuer The issuer address.
     * @param index Entry index, `< historyLength(issuer)`.
     * @return at When the change happened (block timestamp).
     * @return status Stored status after the change (None/Active/Suspended/Revoked).
     * @return validFrom Window start in force after the change.
     * @return validUntil Window end in force after the change (0 = open-ended).
     * @return reasonCode Reason code of the change (0 if none).
     */
    function historyEntry(address issuer, uint256 index)
        external
        view
        returns (uint64 at, Standing status, uint64 validFrom, uint64 validUntil, uint16 reasonCode)
    {
        Change[] storage hist = _history[issuer];
        if (index >= hist.length) revert HistoryIndexOutOfRange(issuer, index, hist.length);
        Change memory c = hist[index];
        return (c.at, c.status, c.validFrom, c.validUntil, c.reasonCode);
    }

    // ─────────────────────────────────────── internal ───────────────────────────────────────

    /// @dev Moves `issuer` from stored status `from` to `to`, recording the change.
    function _transition(address issuer, Standing from, Standing to, uint16 reasonCode) internal {
        Current storage cur = _current[issuer];
        Standing status = cur.status;
        if (status != from) revert InvalidStandingChange(issuer, status, to);
        cur.status = to;
        cur.reasonCode = reasonCode;
        _record(issuer);
    }

    /// @dev Appends the current record to the issuer's history.
    function _record(address issuer) internal {
        Current memory cur = _current[issuer];
        _history[issuer].push(
            Change({
                at: uint64(block.timestamp),
                status: cur.status,
                validFrom: cur.validFrom,
                validUntil: cur.validUntil,
                reasonCode: cur.reasonCode
            })
        );
    }

    /// @dev Reverts unless `validUntil` is 0 (open-ended) or after `validFrom`.
    function _checkWindow(uint64 validFrom, uint64 validUntil) internal pure {
        if (validUntil != 0 && validUntil <= validFrom) revert InvalidValidityWindow(validFrom, validUntil);
    }

    /// @dev Judges a stored status against a window at time `t`.
    function _evaluate(Standing status, uint64 validFrom, uint64 validUntil, uint256 t)
        internal
        pure
        returns (Standing)
    {
        if (status != Standing.Active) return status;
        if (t < validFrom) return Standing.NotYetValid;
        if (validUntil != 0 && t >= validUntil) return Standing.Expired;
        return Standing.Active;
    }
}
