// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/**
 * @title IssuerRegistry
 * @notice Accreditation of credential issuers (organisations) and their signing keys by the
 * Daftar programme office.
 *
 * An issuer is an ORGANISATION, identified by an address (an EOA or an EIP-1271 wallet),
 * that the programme office accredits with a name, a metadata URI and a validity window.
 * The organisation's address is its first signing key; the office may add further keys
 * ({addKey}) and retire any of them ({retireKey}). A credential anchored with any key of the
 * organisation belongs to the organisation. Retiring a key leaves its earlier credentials
 * valid; a key can be retired as COMPROMISED since a time, after which every credential it
 * anchored at or after that time verifies as `IssuerCompromised`.
 *
 * The office may also suspend, reinstate, renew or revoke the organisation's accreditation.
 * A suspension or revocation may carry a compromised-since time: credentials of the
 * organisation anchored at or after it (and before the suspension / revocation itself)
 * verify as `IssuerCompromised`; earlier ones stay valid with the issuer flag.
 *
 * Every change of the organisation's accreditation is appended to its history. The number of
 * entries in force when a credential is anchored ({issuingOrganisation}) is stored with the
 * credential, so its issuer's standing at issue time is exact even when the issue and a
 * suspension share a block or a timestamp ({standingAfter}).
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
 * Pause scopes: pausing stops what EXTENDS trust (accredit, reinstate, renew, metadata, addKey,
 * and, through {issuingOrganisation}, every new credential); it never stops a restrictive
 * action (suspend, revokeAccreditation, retireKey). Reads never stop.
 *
 * No personal data is stored: issuers are organisations.
 *
 * @dev The current status, window and compromise of an organisation live in ONE storage slot
 * ({_current}) so that {issuingOrganisation}, called by the credential registry on every
 * issue, costs one cold SLOAD for an organisation signing with its own address.
 */
contract IssuerRegistry is AccessControlDefaultAdminRules, Pausable {
    /// @notice Role of the programme office: accredits, suspends, reinstates, renews, revokes
    /// issuers, adds and retires their keys, and revokes any credential as the authority.
    bytes32 public constant REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");
    /// @notice Role allowed to pause and unpause what extends trust, in an emergency.
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

    /// @notice State of a signing key. None: not a key. Active: may issue and revoke.
    /// Retired: may do neither; its earlier credentials stay the organisation's.
    enum KeyStatus {
        None,
        Active,
        Retired
    }

    /**
     * @notice What {judge} reports about a credential's issuer.
     * @dev Ok: nothing to flag. Suspended / Revoked: the organisation is suspended / revoked
     * now. Compromised: the credential falls in a compromise window of its key or organisation.
     */
    enum Flag {
        Ok,
        Suspended,
        Revoked,
        Compromised
    }

    /// @dev Current record; one storage slot (8 + 64 + 64 + 16 + 16 + 16 + 8 + 40 + 16 = 248 bits).
    struct Current {
        Standing status; // only None, Active, Suspended, Revoked are stored
        uint64 validFrom;
        uint64 validUntil; // 0 = open-ended
        uint16 reasonCode; // reason of the last suspension / revocation, 0 otherwise
        uint16 changes; // number of history entries
        uint16 epoch; // number of suspensions and revocations (delegated signatures die with it)
        bool ownKeyRetired; // the organisation's own address no longer signs
        uint40 compromisedSince; // 0 = no compromise declared
        uint16 compromisedThrough; // history index of the change that declared the compromise
    }

    /// @dev One history entry; one storage slot (64 + 8 + 64 + 64 + 16 = 216 bits).
    struct Change {
        uint64 at;
        Standing status;
        uint64 validFrom;
        uint64 validUntil;
        uint16 reasonCode;
    }

    /// @dev A signing key; one storage slot (160 + 8 + 40 + 40 = 248 bits).
    struct Key {
        address organisation;
        KeyStatus status;
        uint40 compromisedSince; // 0 = not compromised
        uint40 retiredAt;
    }

    mapping(address issuer => Current) private _current;
    mapping(address issuer => Change[]) private _history;
    mapping(address issuer => uint64) private _accreditedAt;
    mapping(address issuer => string) private _names;
    mapping(address issuer => string) private _metadataURIs;
    mapping(address key => Key) private _keys;
    mapping(address issuer => address[]) private _keyList;

    /**
     * @notice Emitted when an issuer is accredited.
     * @param issuer The accredited issuer (organisation) address; also its first signing key.
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
     * @param compromisedSince Start of the declared compromise (0 = none).
     */
    event IssuerSuspended(
        address indexed issuer, address indexed registrar, uint16 indexed reasonCode, uint64 compromisedSince
    );

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
     * @param compromisedSince Start of the declared compromise (0 = none).
     */
    event IssuerRevoked(
        address indexed issuer, address indexed registrar, uint16 indexed reasonCode, uint64 compromisedSince
    );

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

    /**
     * @notice Emitted when a signing key is added to an organisation.
     * @param issuer The organisation.
     * @param key The new key.
     * @param registrar The programme-office account that added it.
     */
    event KeyAdded(address indexed issuer, address indexed key, address indexed registrar);

    /**
     * @notice Emitted when a signing key is retired, or marked compromised.
     * @param issuer The organisation.
     * @param key The retired key.
     * @param registrar The programme-office account that retired it.
     * @param compromisedSince Start of the key's compromise (0 = plain retirement).
     */
    event KeyRetired(address indexed issuer, address indexed key, address indexed registrar, uint64 compromisedSince);

    /// @notice The zero address was given where an issuer or key address is required.
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
     * @notice The address is already a signing key (of `issuer`) and cannot be used again.
     * @param key The address.
     * @param issuer The organisation it is a key of.
     */
    error KeyInUse(address key, address issuer);

    /**
     * @notice The address is not a key of this organisation, or not in a state that allows it.
     * @param key The key.
     * @param issuer The organisation named.
     * @param status The key's status.
     */
    error InvalidKeyChange(address key, address issuer, KeyStatus status);

    /**
     * @notice The requested change is not allowed from the issuer's current stored status.
     * @param issuer The issuer address.
     * @param from Its current stored status.
     * @param to The status the call would have moved it to.
     */
    error InvalidStandingChange(address issuer, Standing from, Standing to);

    /**
     * @notice A compromised-since time is in the future or does not fit in 40 bits.
     * @param compromisedSince The given time.
     */
    error InvalidCompromiseTime(uint64 compromisedSince);

    /**
     * @notice The issuer's history is full (65,535 changes): refused rather than wrapped.
     * @param issuer The issuer address.
     */
    error HistoryFull(address issuer);

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
     * @notice Accredits a new issuer (organisation); its address becomes its first signing key.
     * @dev Checks, in order: caller role, not paused, non-zero address, non-empty name, window,
     * no record (any status: a revoked issuer cannot be re-accredited), not a key of another
     * organisation.
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
        address owner = _keys[issuer].organisation;
        if (owner != address(0)) revert KeyInUse(issuer, owner);

        Current storage cur = _current[issuer];
        cur.status = Standing.Active;
        cur.validFrom = validFrom;
        cur.validUntil = validUntil;
        _accreditedAt[issuer] = uint64(block.timestamp);
        _keys[issuer] = Key({organisation: issuer, status: KeyStatus.Active, compromisedSince: 0, retiredAt: 0});
        _keyList[issuer].push(issuer);
        _names[issuer] = name;
        _metadataURIs[issuer] = metadataURI;
        _record(issuer);
        emit IssuerAccredited(issuer, _msgSender(), name, metadataURI, validFrom, validUntil);
        emit KeyAdded(issuer, issuer, _msgSender());
    }

    /**
     * @notice Suspends an Active issuer; none of its keys can issue until it is reinstated.
     * Allowed while paused (a restrictive action).
     * @dev With `compromisedSince != 0`, credentials of the issuer anchored at or after that
     * time (and before this suspension) verify as `IssuerCompromised`, and none of its keys
     * can revoke any more (the office does, with the authority revocations). A second
     * compromise widens the window: from the earlier of the two times to the latest change.
     * Checks, in order: caller role, compromise time, stored status Active.
     * @param issuer The issuer to suspend.
     * @param reasonCode Programme-defined reason code.
     * @param compromisedSince Unix seconds, not in the future (0 = no compromise).
     */
    function suspend(address issuer, uint16 reasonCode, uint64 compromisedSince)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        _checkCompromise(compromisedSince);
        _transition(issuer, Standing.Active, Standing.Suspended, reasonCode, compromisedSince);
        emit IssuerSuspended(issuer, _msgSender(), reasonCode, compromisedSince);
    }

    /**
     * @notice Reinstates a Suspended issuer (back to Active with its existing window).
     * A compromise window declared earlier stays in force.
     * @param issuer The issuer to reinstate.
     */
    function reinstate(address issuer) external onlyRole(REGISTRAR_ROLE) whenNotPaused {
        _transition(issuer, Standing.Suspended, Standing.Active, 0, 0);
        emit IssuerReinstated(issuer, _msgSender());
    }

    /**
     * @notice Revokes an issuer's accreditation. Terminal: the organisation can never issue
     * again. Allowed while paused (a restrictive action).
     * @dev Allowed from Active or Suspended. `compromisedSince` as for {suspend}.
     * Checks, in order: caller role, compromise time, stored status Active or Suspended.
     * @param issuer The issuer to revoke.
     * @param reasonCode Programme-defined reason code.
     * @param compromisedSince Unix seconds, not in the future (0 = no compromise).
     */
    function revokeAccreditation(address issuer, uint16 reasonCode, uint64 compromisedSince)
        external
        onlyRole(REGISTRAR_ROLE)
    {
        _checkCompromise(compromisedSince);
        Standing status = _current[issuer].status;
        if (status != Standing.Active && status != Standing.Suspended) {
            revert InvalidStandingChange(issuer, status, Standing.Revoked);
        }
        _transition(issuer, status, Standing.Revoked, reasonCode, compromisedSince);
        emit IssuerRevoked(issuer, _msgSender(), reasonCode, compromisedSince);
    }

    /**
     * @notice Replaces the validity window of an Active or Suspended issuer (e.g. renewal).
     * @dev The history entry records the reason code in force (that of a suspension, if any).
     * Checks, in order: caller role, not paused, window, stored status Active or Suspended
     * (so an unknown issuer with a bad window reverts {InvalidValidityWindow}).
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
     * @notice Adds a signing key to an Active or Suspended organisation (e.g. after a key
     * rotation). The key must never have been a key or an organisation before.
     * @dev Checks, in order: caller role, not paused, non-zero key, organisation status,
     * key unused.
     * @param issuer The organisation.
     * @param key The new signing key (EOA or EIP-1271 wallet).
     */
    function addKey(address issuer, address key) external onlyRole(REGISTRAR_ROLE) whenNotPaused {
        if (key == address(0)) revert ZeroIssuer();
        Standing status = _current[issuer].status;
        if (status != Standing.Active && status != Standing.Suspended) {
            revert InvalidStandingChange(issuer, status, status);
        }
        address owner = _keys[key].organisation;
        if (owner != address(0)) revert KeyInUse(key, owner);
        if (_current[key].status != Standing.None) revert KeyInUse(key, key);
        _keys[key] = Key({organisation: issuer, status: KeyStatus.Active, compromisedSince: 0, retiredAt: 0});
        _keyList[issuer].push(key);
        emit KeyAdded(issuer, key, _msgSender());
    }

    /**
     * @notice Retires a signing key: it can no longer issue or revoke. Its earlier
     * credentials stay valid and the organisation's. With `compromisedSince != 0` the key is
     * marked compromised: its credentials anchored at or after that time verify as
     * `IssuerCompromised`. Allowed while paused (a restrictive action).
     * @dev An already retired key may still be marked compromised once (from Retired with a
     * non-zero time). Checks, in order: caller role, compromise time, key of `issuer`,
     * key Active (or Retired and not yet compromised, with a compromise time).
     * @param issuer The organisation.
     * @param key The key to retire.
     * @param compromisedSince Unix seconds, not in the future (0 = plain retirement).
     */
    function retireKey(address issuer, address key, uint64 compromisedSince) external onlyRole(REGISTRAR_ROLE) {
        _checkCompromise(compromisedSince);
        Key storage k = _keys[key];
        KeyStatus status = k.status;
        bool allowed = k.organisation == issuer && issuer != address(0)
            && (status == KeyStatus.Active
                || (status == KeyStatus.Retired && compromisedSince != 0 && k.compromisedSince == 0));
        if (!allowed) revert InvalidKeyChange(key, issuer, status);
        if (status == KeyStatus.Active) {
            k.status = KeyStatus.Retired;
            k.retiredAt = uint40(block.timestamp);
            if (key == issuer) _current[issuer].ownKeyRetired = true;
        }
        if (compromisedSince != 0) k.compromisedSince = uint40(compromisedSince);
        emit KeyRetired(issuer, key, _msgSender(), compromisedSince);
    }

    /**
     * @notice Stops what extends trust: accredit, reinstate, renew, setMetadataURI, addKey,
     * and every new credential in the credential registry. Restrictive actions and reads go on.
     */
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /**
     * @notice Ends a pause.
     */
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ─────────────────────────────────────── reads ───────────────────────────────────────

    /**
     * @notice Whether the organisation `issuer` is in good standing right now: stored status
     * Active and the current time inside `[validFrom, validUntil)`.
     * @dev One cold SLOAD. Never reverts, not affected by pause.
     * @param issuer The issuer address.
     * @return True if the issuer is in good standing now.
     */
    function isInGoodStanding(address issuer) external view returns (bool) {
        Current storage cur = _current[issuer];
        return _evaluate(cur.status, cur.validFrom, cur.validUntil, block.timestamp) == Standing.Active;
    }

    /**
     * @notice The organisation a key may issue for right now, and the number of history
     * entries of that organisation in force (stored with the credential: exact standing at
     * issue time). Called by the credential registry on every issue.
     * @dev All three zero unless: not paused, the key is Active, and the organisation is in
     * good standing now. Never reverts.
     * @param key The signing key.
     * @return issuer The organisation (zero if the key may not issue now).
     * @return changes Number of history entries of the organisation in force (0 with no issuer).
     * @return epoch The organisation's signature epoch (see {signingEpoch}; 0 with no issuer).
     */
    function issuingOrganisation(address key)
        external
        view
        returns (address issuer, uint16 changes, uint16 epoch)
    {
        uint256 word = _currentWord(key);
        if (uint8(word) != uint8(Standing.None)) {
            if (uint8(word >> 184) != 0) return (address(0), 0, 0); // ownKeyRetired
            issuer = key;
        } else {
            Key storage k = _keys[key];
            if (k.status != KeyStatus.Active) return (address(0), 0, 0);
            issuer = k.organisation;
            word = _currentWord(issuer);
        }
        Standing standing = _evaluate(Standing(uint8(word)), uint64(word >> 8), uint64(word >> 72), block.timestamp);
        if (standing != Standing.Active || paused()) return (address(0), 0, 0);
        return (issuer, uint16(word >> 152), uint16(word >> 168)); // changes, epoch
    }

    /**
     * @notice Whether `key` may revoke credentials of `issuer` now: an Active key of the
     * organisation, and no compromise declared on the organisation. The organisation's
     * standing does not matter otherwise (a suspended issuer can withdraw bad credentials).
     * @dev Never reverts, not affected by pause.
     * @param key The key.
     * @param issuer The organisation.
     * @return True if the key may revoke.
     */
    function canRevoke(address key, address issuer) external view returns (bool) {
        Key storage k = _keys[key];
        return issuer != address(0) && k.organisation == issuer && k.status == KeyStatus.Active
            && _current[issuer].compromisedSince == 0;
    }

    /**
     * @notice The flag a verifier must see for a credential of `issuer` anchored by `key` at
     * `issuedAt` with `changes` history entries in force. Compromised outranks Revoked,
     * which outranks Suspended.
     * @dev Compromised: the key was marked compromised at or before `issuedAt`, or the
     * organisation declared a compromise at or before `issuedAt` through a change made after
     * the issue (`changes <= compromisedThrough`). Never reverts.
     * @param issuer The organisation.
     * @param key The key that anchored the credential.
     * @param issuedAt When it was anchored.
     * @param changes Number of the organisation's history entries in force at issue time.
     * @return The flag.
     */
    function judge(address issuer, address key, uint64 issuedAt, uint16 changes) external view returns (Flag) {
        Current storage cur = _current[issuer];
        uint40 since = cur.compromisedSince;
        if (since != 0 && issuedAt >= since && changes <= cur.compromisedThrough) return Flag.Compromised;
        Key storage k = _keys[key];
        if (k.organisation == issuer && k.compromisedSince != 0 && issuedAt >= k.compromisedSince) {
            return Flag.Compromised;
        }
        if (cur.status == Standing.Revoked) return Flag.Revoked;
        if (cur.status == Standing.Suspended) return Flag.Suspended;
        return Flag.Ok;
    }

    /**
     * @notice The organisation's signature epoch: the number of its suspensions and
     * revocations. Delegated signatures carry it in their nonce, so a signature made before
     * a suspension never works after it.
     * @param key A signing key (or the organisation's address).
     * @return The epoch of the key's organisation (0 for an unknown key).
     */
    function signingEpoch(address key) external view returns (uint16) {
        return _current[_keys[key].organisation].epoch;
    }

    /**
     * @notice A signing key's record.
     * @param key The key.
     * @return issuer Its organisation (zero if not a key).
     * @return status Active or Retired (None if not a key).
     * @return compromisedSince Start of its compromise (0 = not compromised).
     * @return retiredAt When it was retired (0 = not retired).
     */
    function keyInfo(address key)
        external
        view
        returns (address issuer, KeyStatus status, uint64 compromisedSince, uint64 retiredAt)
    {
        Key memory k = _keys[key];
        return (k.organisation, k.status, k.compromisedSince, k.retiredAt);
    }

    /**
     * @notice Number of signing keys an organisation ever had (its own address first).
     * @param issuer The organisation.
     * @return The number of keys, Active or Retired.
     */
    function keyCount(address issuer) external view returns (uint256) {
        return _keyList[issuer].length;
    }

    /**
     * @notice One signing key of an organisation, in the order they were added.
     * @param issuer The organisation.
     * @param index Key index, `< keyCount(issuer)`.
     * @return The key address.
     */
    function keyAt(address issuer, uint256 index) external view returns (address) {
        address[] storage list = _keyList[issuer];
        if (index >= list.length) revert HistoryIndexOutOfRange(issuer, index, list.length);
        return list[index];
    }

    /**
     * @notice The compromise declared on an organisation (by {suspend} or {revokeAccreditation}).
     * @param issuer The organisation.
     * @return compromisedSince Start of the window (0 = none declared).
     * @return throughChange History index of the change that declared it: credentials anchored
     * with more entries in force than this are outside the window.
     * @return epoch The organisation's signature epoch.
     */
    function compromiseInfo(address issuer)
        external
        view
        returns (uint64 compromisedSince, uint16 throughChange, uint16 epoch)
    {
        Current storage cur = _current[issuer];
        return (cur.compromisedSince, cur.compromisedThrough, cur.epoch);
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
     * @dev The last history entry with `at <= timestamp` applies (several changes in one
     * second: the last wins; for an exact answer at an issue use {standingAfter} with the
     * credential's recorded change count). Its stored status is then judged against the
     * window it recorded. Never reverts. For a future `timestamp` the answer assumes no
     * further change.
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
     * @notice The issuer's standing with exactly the first `changes` history entries in force,
     * judged at `timestamp`: exact ordering within a block or a second. A credential records
     * `changes` when it is anchored ({CredentialRegistry-credentialInfo}).
     * @dev `changes` beyond the history length is clamped to it. Never reverts.
     * @param issuer The issuer address.
     * @param changes Number of history entries in force.
     * @param timestamp The moment the window is judged at (e.g. the credential's issue time).
     * @return The standing (None if `changes == 0`).
     */
    function standingAfter(address issuer, uint256 changes, uint64 timestamp) external view returns (Standing) {
        Change[] storage hist = _history[issuer];
        if (changes > hist.length) changes = hist.length;
        if (changes == 0) return Standing.None;
        Change storage c = hist[changes - 1];
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
        accreditedAt = _accreditedAt[issuer];
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
     * @return reasonCode Reason code in force after the change (a renewal of a suspended
     * issuer keeps the suspension's; 0 if none).
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

    /// @dev Moves `issuer` from stored status `from` to `to`, recording the change; a
    /// restrictive change bumps the signature epoch and may declare a compromise.
    function _transition(address issuer, Standing from, Standing to, uint16 reasonCode, uint64 compromisedSince)
        internal
    {
        Current storage cur = _current[issuer];
        Standing status = cur.status;
        if (status != from) revert InvalidStandingChange(issuer, status, to);
        cur.status = to;
        cur.reasonCode = reasonCode;
        if (to != Standing.Active) {
            if (cur.epoch == type(uint16).max) revert HistoryFull(issuer);
            cur.epoch += 1;
        }
        if (compromisedSince != 0) {
            uint40 since = cur.compromisedSince;
            if (since == 0 || compromisedSince < since) cur.compromisedSince = uint40(compromisedSince);
            cur.compromisedThrough = cur.changes; // index of the entry _record appends now
        }
        _record(issuer);
    }

    /// @dev The raw storage word of `_current[issuer]` (one SLOAD; field offsets in bits:
    /// status 0, validFrom 8, validUntil 72, reasonCode 136, changes 152, epoch 168,
    /// ownKeyRetired 184, compromisedSince 192, compromisedThrough 232).
    function _currentWord(address issuer) internal view returns (uint256 word) {
        Current storage cur = _current[issuer];
        assembly ("memory-safe") {
            word := sload(cur.slot)
        }
    }

    /// @dev Appends the current record to the issuer's history.
    function _record(address issuer) internal {
        Current storage cur = _current[issuer];
        if (cur.changes == type(uint16).max) revert HistoryFull(issuer);
        cur.changes += 1;
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

    /// @dev Reverts unless `compromisedSince` is 0 or a past (or present) time that fits 40 bits.
    function _checkCompromise(uint64 compromisedSince) internal view {
        if (compromisedSince > block.timestamp || compromisedSince > type(uint40).max) {
            revert InvalidCompromiseTime(compromisedSince);
        }
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
