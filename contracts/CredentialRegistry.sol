// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IssuerRegistry} from "./IssuerRegistry.sol";

/**
 * @title CredentialRegistry
 * @notice Anchors credential hashes issued by accredited issuers (organisations), singly or
 * in Merkle batches, with expiry and revocation, and answers "is this credential valid?" with
 * a view that never reverts.
 *
 * Only hashes are stored: a `credentialHash` is a salted hash of the credential document
 * computed off chain; no personal data ever reaches the chain.
 *
 * Records are scoped by issuer. A credential or batch belongs to the organisation whose key
 * anchored it: two issuers anchoring the same hash have two independent records, and no one
 * can take another's. {verify} and {verifyLeaf} take the issuer as their first argument (the
 * credential document names it). The key that anchored it (the signer) is recorded too.
 *
 * Merkle batches follow OpenZeppelin's `StandardMerkleTree` with one `bytes32` value per
 * leaf:
 *
 *     leaf = keccak256(bytes.concat(keccak256(abi.encode(credentialHash))))
 *
 * i.e. keccak256 applied twice to the 32 bytes of `credentialHash`. Inner nodes are
 * `keccak256(min(a, b) ‖ max(a, b))` (sorted pair, as in {MerkleProof}). Because a leaf is a
 * hash of 32 bytes and an inner node a hash of 64 bytes, an inner node can never be presented
 * as a leaf. {leafHash} computes the leaf on chain for cross-checks.
 *
 * Verification status precedence (first match wins):
 *
 *     NotIssued > InvalidProof > Revoked > IssuerCompromised > Expired > IssuerRevoked
 *     > IssuerSuspended > Valid
 *
 * A credential is judged by its issuer's standing AT ISSUE TIME, which was good (enforced by
 * {issue}, for the organisation and the key, at the exact position in the issuer's history
 * recorded with the credential). A compromise declared later that covers its issue time makes
 * it `IssuerCompromised`. A later suspension or revocation of the accreditation is reported
 * as `IssuerSuspended` / `IssuerRevoked` so verifiers can decide. An issuer whose
 * accreditation merely ran out (Expired window) is not flagged.
 *
 * Revocation: by an Active key of the issuer (even if the issuer is no longer in good
 * standing, unless a compromise was declared on it), by a signature of such a key through a
 * relayer, or by the programme office (any holder of the issuer registry's REGISTRAR_ROLE) as
 * the authority. {verify} reports who revoked.
 *
 * Pause stops issuance only (here, or in the issuer registry); revocation never stops.
 */
contract CredentialRegistry is AccessControlDefaultAdminRules, Pausable, EIP712 {
    /// @notice Role allowed to pause and unpause issuance in an emergency.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @dev Role of the programme office in the ISSUER registry: the revocation authority
    /// (private, so that this contract lists only the roles granted in it).
    bytes32 private constant _REGISTRAR_ROLE = keccak256("REGISTRAR_ROLE");

    /// @notice Longest a delegated signature may stay usable: its deadline may be at most
    /// this far after the block that uses it.
    uint256 public constant MAX_SIGNATURE_WINDOW = 30 days;

    /// @notice EIP-712 type hash of a delegated single issue (`issuer` is the signing key).
    bytes32 public constant ISSUE_TYPEHASH = keccak256(
        "Issue(address issuer,bytes32 credentialHash,uint64 expiresAt,uint256 nonce,uint256 deadline)"
    );

    /// @notice EIP-712 type hash of a delegated batch issue (`issuer` is the signing key).
    bytes32 public constant ISSUE_BATCH_TYPEHASH = keccak256(
        "IssueBatch(address issuer,bytes32 merkleRoot,uint32 count,uint64 expiresAt,string uri,uint256 nonce,uint256 deadline)"
    );

    /// @notice EIP-712 type hash of a delegated revocation of a single credential.
    bytes32 public constant REVOKE_TYPEHASH = keccak256(
        "Revoke(address signer,address issuer,bytes32 credentialHash,uint16 reasonCode,uint256 nonce,uint256 deadline)"
    );

    /// @notice EIP-712 type hash of a delegated revocation of one credential of a batch.
    bytes32 public constant REVOKE_LEAF_TYPEHASH = keccak256(
        "RevokeLeaf(address signer,address issuer,bytes32 merkleRoot,bytes32 credentialHash,uint16 reasonCode,uint256 nonce,uint256 deadline)"
    );

    /// @notice EIP-712 type hash of a delegated revocation of a whole batch.
    bytes32 public constant REVOKE_BATCH_TYPEHASH = keccak256(
        "RevokeBatch(address signer,address issuer,bytes32 merkleRoot,uint16 reasonCode,uint256 nonce,uint256 deadline)"
    );

    /**
     * @notice Result of a verification.
     * @dev See the contract documentation for the precedence rule. Values never change
     * meaning: new ones are appended.
     */
    enum Status {
        NotIssued,
        Valid,
        Revoked,
        Expired,
        IssuerSuspended,
        InvalidProof,
        IssuerRevoked,
        IssuerCompromised
    }

    /// @notice Who revoked a credential, leaf or batch.
    enum Revoker {
        None,
        Issuer,
        Authority
    }

    /// @dev Unpacked view of a record word (see {_credentials}).
    struct Record {
        address signer;
        uint40 issuedAt;
        uint40 expiresAt; // 0 = never
        uint16 changes; // issuer history entries in force at issue time
    }

    /// @dev A delegated leaf revocation, gathered in memory (keeps the stack shallow).
    struct LeafRequest {
        address signer;
        address issuer;
        bytes32 merkleRoot;
        bytes32 credentialHash;
        uint16 reasonCode;
        uint256 deadline;
    }

    /// @dev One storage slot: 40 + 16 + 8 bits.
    struct Revocation {
        uint40 revokedAt;
        uint16 reasonCode;
        Revoker revokedBy;
    }

    /// @notice The issuer registry consulted on every issue and verification.
    IssuerRegistry public immutable issuerRegistry;

    /// @dev Records are one packed word so that issuing is a single full-slot SSTORE:
    /// bits 0..159 signer, 160..199 issuedAt, 200..239 expiresAt (0 = never), 240..255 changes.
    mapping(address issuer => mapping(bytes32 credentialHash => uint256 record)) private _credentials;
    mapping(address issuer => mapping(bytes32 credentialHash => Revocation)) private _revocations;
    mapping(address issuer => mapping(bytes32 merkleRoot => uint256 record)) private _batches;
    mapping(address issuer => mapping(bytes32 merkleRoot => Revocation)) private _batchRevocations;
    mapping(address issuer => mapping(bytes32 merkleRoot => mapping(bytes32 leaf => Revocation))) private
        _leafRevocations;
    mapping(address signer => uint64) private _nonceCounters;

    /**
     * @notice Emitted when a single credential is issued.
     * @param credentialHash The credential hash.
     * @param issuer The organisation it belongs to.
     * @param signer The key that anchored it (the signer, for delegated issuance).
     * @param expiresAt Expiry, unix seconds (0 = never). Issued-at is the block timestamp.
     */
    event CredentialIssued(
        bytes32 indexed credentialHash, address indexed issuer, address indexed signer, uint64 expiresAt
    );

    /**
     * @notice Emitted when a Merkle batch of credentials is issued.
     * @param merkleRoot The batch root.
     * @param issuer The organisation it belongs to.
     * @param signer The key that anchored it.
     * @param count Number of credentials in the batch (informational, not checked).
     * @param expiresAt Expiry of every credential in the batch (0 = never).
     * @param uri Where the batch manifest can be fetched (informational).
     */
    event BatchIssued(
        bytes32 indexed merkleRoot,
        address indexed issuer,
        address indexed signer,
        uint32 count,
        uint64 expiresAt,
        string uri
    );

    /**
     * @notice Emitted when a single credential is revoked.
     * @param credentialHash The credential hash.
     * @param issuer The organisation it belongs to.
     * @param reasonCode Programme-defined reason code.
     * @param revoker The account that revoked it (a key of the issuer, or the office).
     * @param revokedBy Issuer or Authority.
     */
    event CredentialRevoked(
        bytes32 indexed credentialHash,
        address indexed issuer,
        uint16 indexed reasonCode,
        address revoker,
        Revoker revokedBy
    );

    /**
     * @notice Emitted when one credential of a batch is revoked.
     * @param merkleRoot The batch root.
     * @param credentialHash The revoked credential's hash.
     * @param issuer The organisation the batch belongs to.
     * @param leaf The revoked leaf, `leafHash(credentialHash)`.
     * @param reasonCode Programme-defined reason code.
     * @param revoker The account that revoked it.
     * @param revokedBy Issuer or Authority.
     */
    event LeafRevoked(
        bytes32 indexed merkleRoot,
        bytes32 indexed credentialHash,
        address indexed issuer,
        bytes32 leaf,
        uint16 reasonCode,
        address revoker,
        Revoker revokedBy
    );

    /**
     * @notice Emitted when a whole batch is revoked.
     * @param merkleRoot The batch root.
     * @param issuer The organisation the batch belongs to.
     * @param reasonCode Programme-defined reason code.
     * @param revoker The account that revoked it.
     * @param revokedBy Issuer or Authority.
     */
    event BatchRevoked(
        bytes32 indexed merkleRoot, address indexed issuer, uint16 indexed reasonCode, address revoker, Revoker revokedBy
    );

    /**
     * @notice Emitted when a signer cancels its outstanding delegated signatures.
     * @param signer The signing key.
     * @param fromNonce First cancelled nonce (the signer's nonce before the call).
     * @param toNonce The signer's nonce after the call (nonces below it are spent).
     */
    event SignaturesCancelled(address indexed signer, uint256 fromNonce, uint256 toNonce);

    /**
     * @notice The issuer registry address has no code.
     * @param registry The given address.
     */
    error InvalidIssuerRegistry(address registry);

    /// @notice A zero credential hash or Merkle root was given.
    error ZeroHash();

    /// @notice A batch must declare at least one credential.
    error EmptyBatch();

    /**
     * @notice The key may not issue now: not an Active key of an organisation in good
     * standing (not accredited, suspended, revoked, outside its window, key retired), or the
     * issuer registry is paused.
     * @param issuer The key (signer) address.
     */
    error IssuerNotInGoodStanding(address issuer);

    /**
     * @notice The expiry is in the past or does not fit in 40 bits.
     * @param expiresAt The given expiry.
     */
    error InvalidExpiry(uint64 expiresAt);

    /**
     * @notice The block time does not fit the 40-bit time fields: refused rather than wrapped.
     * @param timestamp The block timestamp.
     */
    error TimeOverflow(uint256 timestamp);

    /**
     * @notice This issuer already anchored the credential hash (or Merkle root).
     * @param hash The hash or root.
     * @param issuer The issuer (organisation).
     */
    error AlreadyIssued(bytes32 hash, address issuer);

    /**
     * @notice The issuer anchored nothing under this credential hash (or Merkle root).
     * @param hash The hash or root.
     */
    error NotIssued(bytes32 hash);

    /**
     * @notice The caller (or signer) may not revoke for this issuer: not an Active key of it,
     * or a compromise was declared on the issuer.
     * @param hash The credential hash or Merkle root.
     * @param caller The caller (or signer).
     * @param issuer The issuer (organisation).
     */
    error NotIssuer(bytes32 hash, address caller, address issuer);

    /**
     * @notice The caller does not hold REGISTRAR_ROLE in the issuer registry.
     * @param caller The caller.
     */
    error NotAuthority(address caller);

    /**
     * @notice The credential, leaf or batch is already revoked.
     * @param hash The credential hash or Merkle root.
     * @param revokedAt When it was revoked.
     */
    error AlreadyRevoked(bytes32 hash, uint64 revokedAt);

    /**
     * @notice The Merkle proof does not connect the credential to the root.
     * @param merkleRoot The batch root.
     * @param credentialHash The credential hash.
     */
    error InvalidMerkleProof(bytes32 merkleRoot, bytes32 credentialHash);

    /**
     * @notice The delegated signature has expired.
     * @param deadline The signed deadline.
     */
    error SignatureExpired(uint256 deadline);

    /**
     * @notice The delegated signature's deadline is further than {MAX_SIGNATURE_WINDOW} away.
     * @param deadline The signed deadline.
     * @param latest The latest deadline accepted now.
     */
    error DeadlineTooFar(uint256 deadline, uint256 latest);

    /**
     * @notice The signature is not valid for the signer (ECDSA or EIP-1271).
     * @param issuer The claimed signer.
     */
    error InvalidSignature(address issuer);

    /**
     * @notice A nonce cancellation of 0 or more than 2^32 nonces.
     * @param count The given count.
     */
    error InvalidCancellation(uint256 count);

    /**
     * @notice Deploys the registry.
     * @param registry Address of the {IssuerRegistry}.
     * @param initialDelay Delay (seconds) of the two-step default-admin transfer.
     * @param admin Initial default admin (grants PAUSER_ROLE afterwards).
     */
    constructor(address registry, uint48 initialDelay, address admin)
        AccessControlDefaultAdminRules(initialDelay, admin)
        EIP712("Daftar CredentialRegistry", "2")
    {
        if (registry.code.length == 0) revert InvalidIssuerRegistry(registry);
        issuerRegistry = IssuerRegistry(registry);
    }

    // ─────────────────────────────────────── issue ───────────────────────────────────────

    /**
     * @notice Issues one credential; the caller is a signing key of an organisation, and both
     * must be in good standing. The credential belongs to the organisation.
     * @dev Checks, in order: not paused, time fits, non-zero hash, expiry, key and
     * organisation standing (and the issuer registry not paused), not already issued by
     * this organisation.
     * @param credentialHash Salted hash of the credential document (non-zero).
     * @param expiresAt Expiry, unix seconds, exclusive (0 = never; else in the future and < 2^40).
     */
    function issue(bytes32 credentialHash, uint64 expiresAt) external whenNotPaused {
        _issue(_msgSender(), credentialHash, expiresAt);
    }

    /**
     * @notice Issues a Merkle batch (OpenZeppelin StandardMerkleTree of `bytes32` values);
     * the caller is a signing key in good standing. Costs the same whatever the batch size.
     * @dev Checks, in order: not paused, time fits, non-zero root, count, expiry, standing,
     * not already issued by this organisation.
     * @param merkleRoot Root over `leafHash(credentialHash)` of every credential (non-zero).
     * @param count Number of credentials (> 0; emitted only, not checked on chain).
     * @param expiresAt Expiry of every credential of the batch (0 = never).
     * @param uri Where the batch manifest can be fetched (emitted only).
     */
    function issueBatch(bytes32 merkleRoot, uint32 count, uint64 expiresAt, string calldata uri)
        external
        whenNotPaused
    {
        _issueBatch(_msgSender(), merkleRoot, count, expiresAt, uri);
    }

    /**
     * @notice Issues one credential on behalf of the key `issuer`, which signed EIP-712 typed
     * data `Issue(address issuer,bytes32 credentialHash,uint64 expiresAt,uint256 nonce,uint256 deadline)`
     * with its current `nonces(issuer)`. Anyone (a relayer) may submit and pay gas.
     * @dev EOA (ECDSA) and EIP-1271 signatures are accepted. Consumes the nonce. Checks, in
     * order: not paused, deadline not passed, deadline within {MAX_SIGNATURE_WINDOW},
     * signature, then as {issue}.
     * @param issuer The signing key (must be in good standing, with its organisation).
     * @param credentialHash Salted hash of the credential document.
     * @param expiresAt Expiry (0 = never).
     * @param deadline Last unix second at which the signature is accepted.
     * @param signature The key's signature over the typed data.
     */
    function issueWithSig(
        address issuer,
        bytes32 credentialHash,
        uint64 expiresAt,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        _checkDeadline(deadline);
        bytes32 structHash =
            keccak256(abi.encode(ISSUE_TYPEHASH, issuer, credentialHash, expiresAt, _useNonce(issuer), deadline));
        _checkSignature(issuer, structHash, signature);
        _issue(issuer, credentialHash, expiresAt);
    }

    /**
     * @notice Issues a Merkle batch on behalf of the key `issuer`, which signed EIP-712 typed
     * data `IssueBatch(address issuer,bytes32 merkleRoot,uint32 count,uint64 expiresAt,string uri,uint256 nonce,uint256 deadline)`
     * with its current `nonces(issuer)` (`uri` is hashed per EIP-712: keccak256 of its bytes).
     * @dev As {issueWithSig}, then as {issueBatch}.
     * @param issuer The signing key.
     * @param merkleRoot The batch root.
     * @param count Number of credentials (> 0).
     * @param expiresAt Expiry of every credential (0 = never).
     * @param uri Batch manifest URI.
     * @param deadline Last unix second at which the signature is accepted.
     * @param signature The key's signature over the typed data.
     */
    function issueBatchWithSig(
        address issuer,
        bytes32 merkleRoot,
        uint32 count,
        uint64 expiresAt,
        string calldata uri,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        _checkDeadline(deadline);
        _checkSignature(issuer, _batchStructHash(issuer, merkleRoot, count, expiresAt, uri, deadline), signature);
        _issueBatch(issuer, merkleRoot, count, expiresAt, uri);
    }

    // ─────────────────────────────────────── revoke ───────────────────────────────────────

    /**
     * @notice Revokes a single credential of `issuer`; the caller is an Active key of it.
     * Never stopped by a pause.
     * @dev Checks, in order: time fits, record exists, caller may revoke ({IssuerRegistry-canRevoke}),
     * not already revoked.
     * @param issuer The organisation the credential belongs to.
     * @param credentialHash The credential hash.
     * @param reasonCode Programme-defined reason code.
     */
    function revoke(address issuer, bytes32 credentialHash, uint16 reasonCode) external {
        _revokeAs(issuer, credentialHash, reasonCode, _msgSender(), _issuerRevoker(issuer, credentialHash, true));
    }

    /**
     * @notice Revokes one credential of a batch of `issuer`; the caller is an Active key of it
     * and the proof must connect `leafHash(credentialHash)` to `merkleRoot`.
     * @dev The credential hash is given, not the leaf: the leaf is derived on chain, so an
     * inner node can never be revoked as if it were a leaf. Checks, in order: time fits,
     * batch exists, caller may revoke, proof, not already revoked.
     * @param issuer The organisation the batch belongs to.
     * @param merkleRoot The batch root.
     * @param credentialHash The credential hash (the leaf is `leafHash(credentialHash)`).
     * @param proof Sibling hashes from the leaf to the root.
     * @param reasonCode Programme-defined reason code.
     */
    function revokeLeaf(
        address issuer,
        bytes32 merkleRoot,
        bytes32 credentialHash,
        bytes32[] calldata proof,
        uint16 reasonCode
    ) external {
        Revoker by = _issuerRevoker(issuer, merkleRoot, false);
        _revokeLeafAs(issuer, merkleRoot, credentialHash, proof, reasonCode, _msgSender(), by);
    }

    /**
     * @notice Revokes every credential of a batch of `issuer` at once; the caller is an Active
     * key of it.
     * @dev Checks, in order: time fits, batch exists, caller may revoke, not already revoked.
     * @param issuer The organisation the batch belongs to.
     * @param merkleRoot The batch root.
     * @param reasonCode Programme-defined reason code.
     */
    function revokeBatch(address issuer, bytes32 merkleRoot, uint16 reasonCode) external {
        _revokeBatchAs(issuer, merkleRoot, reasonCode, _msgSender(), _issuerRevoker(issuer, merkleRoot, false));
    }

    /**
     * @notice Revokes a credential on behalf of the key `signer`, which signed EIP-712 typed
     * data `Revoke(address signer,address issuer,bytes32 credentialHash,uint16 reasonCode,uint256 nonce,uint256 deadline)`.
     * Anyone may submit (an offline key need not hold ether).
     * @dev Checks, in order: time fits, deadline, signature (consumes the nonce), record
     * exists, signer may revoke, not already revoked.
     * @param signer The signing key.
     * @param issuer The organisation the credential belongs to.
     * @param credentialHash The credential hash.
     * @param reasonCode Programme-defined reason code.
     * @param deadline Last unix second at which the signature is accepted.
     * @param signature The key's signature.
     */
    function revokeWithSig(
        address signer,
        address issuer,
        bytes32 credentialHash,
        uint16 reasonCode,
        uint256 deadline,
        bytes calldata signature
    ) external {
        _checkDeadline(deadline);
        bytes32 structHash = keccak256(
            abi.encode(REVOKE_TYPEHASH, signer, issuer, credentialHash, reasonCode, _useNonce(signer), deadline)
        );
        _checkSignature(signer, structHash, signature);
        _requireRecord(_credentials[issuer][credentialHash], credentialHash);
        _requireRevoker(signer, issuer, credentialHash);
        _revokeAs(issuer, credentialHash, reasonCode, signer, Revoker.Issuer);
    }

    /**
     * @notice Revokes one credential of a batch on behalf of the key `signer`, which signed
     * `RevokeLeaf(address signer,address issuer,bytes32 merkleRoot,bytes32 credentialHash,uint16 reasonCode,uint256 nonce,uint256 deadline)`.
     * @dev As {revokeWithSig}, with the proof checked as in {revokeLeaf}.
     * @param signer The signing key.
     * @param issuer The organisation the batch belongs to.
     * @param merkleRoot The batch root.
     * @param credentialHash The credential hash.
     * @param proof Sibling hashes from the leaf to the root.
     * @param reasonCode Programme-defined reason code.
     * @param deadline Last unix second at which the signature is accepted.
     * @param signature The key's signature.
     */
    function revokeLeafWithSig(
        address signer,
        address issuer,
        bytes32 merkleRoot,
        bytes32 credentialHash,
        bytes32[] calldata proof,
        uint16 reasonCode,
        uint256 deadline,
        bytes calldata signature
    ) external {
        _revokeLeafWithSig(
            LeafRequest(signer, issuer, merkleRoot, credentialHash, reasonCode, deadline), proof, signature
        );
    }

    /**
     * @notice Revokes a whole batch on behalf of the key `signer`, which signed
     * `RevokeBatch(address signer,address issuer,bytes32 merkleRoot,uint16 reasonCode,uint256 nonce,uint256 deadline)`.
     * @dev As {revokeWithSig}, for a batch.
     * @param signer The signing key.
     * @param issuer The organisation the batch belongs to.
     * @param merkleRoot The batch root.
     * @param reasonCode Programme-defined reason code.
     * @param deadline Last unix second at which the signature is accepted.
     * @param signature The key's signature.
     */
    function revokeBatchWithSig(
        address signer,
        address issuer,
        bytes32 merkleRoot,
        uint16 reasonCode,
        uint256 deadline,
        bytes calldata signature
    ) external {
        _checkDeadline(deadline);
        bytes32 structHash = keccak256(
            abi.encode(REVOKE_BATCH_TYPEHASH, signer, issuer, merkleRoot, reasonCode, _useNonce(signer), deadline)
        );
        _checkSignature(signer, structHash, signature);
        _requireRecord(_batches[issuer][merkleRoot], merkleRoot);
        _requireRevoker(signer, issuer, merkleRoot);
        _revokeBatchAs(issuer, merkleRoot, reasonCode, signer, Revoker.Issuer);
    }

    /**
     * @notice The programme office revokes a credential of any issuer (e.g. forged with a
     * stolen key). The caller must hold REGISTRAR_ROLE in the issuer registry.
     * @dev Checks, in order: time fits, caller is the authority, record exists, not already
     * revoked.
     * @param issuer The organisation the credential belongs to.
     * @param credentialHash The credential hash.
     * @param reasonCode Programme-defined reason code.
     */
    function authorityRevoke(address issuer, bytes32 credentialHash, uint16 reasonCode) external {
        _requireAuthority();
        _requireRecord(_credentials[issuer][credentialHash], credentialHash);
        _revokeAs(issuer, credentialHash, reasonCode, _msgSender(), Revoker.Authority);
    }

    /**
     * @notice The programme office revokes one credential of any issuer's batch.
     * @dev Checks, in order: time fits, caller is the authority, batch exists, proof, not
     * already revoked.
     * @param issuer The organisation the batch belongs to.
     * @param merkleRoot The batch root.
     * @param credentialHash The credential hash.
     * @param proof Sibling hashes from the leaf to the root.
     * @param reasonCode Programme-defined reason code.
     */
    function authorityRevokeLeaf(
        address issuer,
        bytes32 merkleRoot,
        bytes32 credentialHash,
        bytes32[] calldata proof,
        uint16 reasonCode
    ) external {
        _requireAuthority();
        _requireRecord(_batches[issuer][merkleRoot], merkleRoot);
        _revokeLeafAs(issuer, merkleRoot, credentialHash, proof, reasonCode, _msgSender(), Revoker.Authority);
    }

    /**
     * @notice The programme office revokes a whole batch of any issuer.
     * @dev Checks, in order: time fits, caller is the authority, batch exists, not already
     * revoked.
     * @param issuer The organisation the batch belongs to.
     * @param merkleRoot The batch root.
     * @param reasonCode Programme-defined reason code.
     */
    function authorityRevokeBatch(address issuer, bytes32 merkleRoot, uint16 reasonCode) external {
        _requireAuthority();
        _requireRecord(_batches[issuer][merkleRoot], merkleRoot);
        _revokeBatchAs(issuer, merkleRoot, reasonCode, _msgSender(), Revoker.Authority);
    }

    /**
     * @notice Cancels the caller's next `howMany` delegated signatures (nonce burn): every
     * signature made with a nonce below the new `nonces(caller)` can never be used.
     * Never stopped by a pause.
     * @param howMany How many nonces to burn (1 to 2^32 - 1).
     */
    function cancelSignatures(uint256 howMany) external {
        if (howMany == 0 || howMany > type(uint32).max) revert InvalidCancellation(howMany);
        address signer = _msgSender();
        uint256 before = nonces(signer);
        _nonceCounters[signer] += uint64(howMany);
        emit SignaturesCancelled(signer, before, nonces(signer));
    }

    /**
     * @notice Stops issuance (emergency). Revocation and reads keep working.
     */
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /**
     * @notice Resumes issuance.
     */
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ─────────────────────────────────────── reads ───────────────────────────────────────

    /**
     * @notice Verifies a singly issued credential of `issuer`. Never reverts.
     * @dev Precedence: NotIssued > Revoked > IssuerCompromised > Expired > IssuerRevoked >
     * IssuerSuspended > Valid.
     * @param issuer The organisation the credential document names.
     * @param credentialHash The credential hash.
     * @return status The verdict.
     * @return signer The key that anchored it (zero if NotIssued).
     * @return issuedAt Issue time, unix seconds (0 if NotIssued).
     * @return expiresAt Expiry (0 = never).
     * @return revokedAt Revocation time (0 if not revoked).
     * @return reasonCode Revocation reason (0 if not revoked).
     * @return revokedBy None, Issuer or Authority.
     */
    function verify(address issuer, bytes32 credentialHash)
        external
        view
        returns (
            Status status,
            address signer,
            uint64 issuedAt,
            uint64 expiresAt,
            uint64 revokedAt,
            uint16 reasonCode,
            Revoker revokedBy
        )
    {
        Record memory rec = _unpack(_credentials[issuer][credentialHash]);
        if (rec.signer == address(0)) return (Status.NotIssued, address(0), 0, 0, 0, 0, Revoker.None);
        Revocation memory r = _revocations[issuer][credentialHash];
        status = _judge(issuer, rec, r);
        return (status, rec.signer, rec.issuedAt, rec.expiresAt, r.revokedAt, r.reasonCode, r.revokedBy);
    }

    /**
     * @notice Verifies a credential issued in a Merkle batch of `issuer`. Never reverts.
     * @dev Precedence: NotIssued (unknown root) > InvalidProof > Revoked (leaf or whole batch;
     * the leaf revocation is reported if both) > IssuerCompromised > Expired > IssuerRevoked
     * > IssuerSuspended > Valid. For InvalidProof the batch's signer/issuedAt/expiresAt are
     * still returned.
     * @param issuer The organisation the credential document names.
     * @param merkleRoot The batch root.
     * @param credentialHash The credential hash (the leaf is `leafHash(credentialHash)`).
     * @param proof Sibling hashes from the leaf to the root.
     * @return status The verdict.
     * @return signer The key that anchored the batch (zero if NotIssued).
     * @return issuedAt Batch issue time (0 if NotIssued).
     * @return expiresAt Batch expiry (0 = never).
     * @return revokedAt Revocation time of the leaf (or of the whole batch), 0 if not revoked.
     * @return reasonCode Revocation reason, 0 if not revoked.
     * @return revokedBy None, Issuer or Authority.
     */
    function verifyLeaf(address issuer, bytes32 merkleRoot, bytes32 credentialHash, bytes32[] calldata proof)
        external
        view
        returns (
            Status status,
            address signer,
            uint64 issuedAt,
            uint64 expiresAt,
            uint64 revokedAt,
            uint16 reasonCode,
            Revoker revokedBy
        )
    {
        Record memory rec;
        Revocation memory r;
        (status, rec, r) = _verifyLeaf(issuer, merkleRoot, credentialHash, proof);
        (signer, issuedAt, expiresAt) = (rec.signer, rec.issuedAt, rec.expiresAt);
        (revokedAt, reasonCode, revokedBy) = (r.revokedAt, r.reasonCode, r.revokedBy);
    }

    /**
     * @notice Raw record of a singly issued credential of `issuer`.
     * @param issuer The organisation.
     * @param credentialHash The credential hash.
     * @return signer The key that anchored it (zero if not issued).
     * @return issuedAt Issue time.
     * @return expiresAt Expiry (0 = never).
     * @return issuerChanges The issuer's history entries in force at issue time (for
     * {IssuerRegistry-standingAfter}).
     */
    function credentialInfo(address issuer, bytes32 credentialHash)
        external
        view
        returns (address signer, uint64 issuedAt, uint64 expiresAt, uint16 issuerChanges)
    {
        Record memory rec = _unpack(_credentials[issuer][credentialHash]);
        return (rec.signer, rec.issuedAt, rec.expiresAt, rec.changes);
    }

    /**
     * @notice Raw record of a Merkle batch of `issuer`.
     * @param issuer The organisation.
     * @param merkleRoot The batch root.
     * @return signer The key that anchored it (zero if unknown).
     * @return issuedAt Issue time.
     * @return expiresAt Expiry (0 = never).
     * @return revokedAt When the whole batch was revoked (0 if not).
     * @return reasonCode Batch revocation reason (0 if not revoked).
     * @return revokedBy None, Issuer or Authority.
     * @return issuerChanges The issuer's history entries in force at issue time.
     */
    function batchInfo(address issuer, bytes32 merkleRoot)
        external
        view
        returns (
            address signer,
            uint64 issuedAt,
            uint64 expiresAt,
            uint64 revokedAt,
            uint16 reasonCode,
            Revoker revokedBy,
            uint16 issuerChanges
        )
    {
        Record memory rec = _unpack(_batches[issuer][merkleRoot]);
        Revocation memory r = _batchRevocations[issuer][merkleRoot];
        return (rec.signer, rec.issuedAt, rec.expiresAt, r.revokedAt, r.reasonCode, r.revokedBy, rec.changes);
    }

    /**
     * @notice The next nonce a delegated signature of `signer` must carry: the organisation's
     * signature epoch in bits 64 and up (it grows with every suspension or revocation, so
     * older signatures die), the signer's own counter below.
     * @param signer The signing key.
     * @return The nonce.
     */
    function nonces(address signer) public view returns (uint256) {
        return (uint256(_signingEpoch(signer)) << 64) | _nonceCounters[signer];
    }

    /**
     * @notice The Merkle leaf of a credential:
     * `keccak256(bytes.concat(keccak256(abi.encode(credentialHash))))`, i.e. keccak256 applied
     * twice to the 32 bytes of `credentialHash` (OpenZeppelin StandardMerkleTree, `bytes32`).
     * @param credentialHash The credential hash.
     * @return The leaf.
     */
    function leafHash(bytes32 credentialHash) external pure returns (bytes32) {
        return _leaf(credentialHash);
    }

    /**
     * @notice The EIP-712 digest a key signs for {issueWithSig} (for client cross-checks).
     * @param issuer The signing key.
     * @param credentialHash The credential hash.
     * @param expiresAt Expiry (0 = never).
     * @param nonce The key's nonce to be consumed (normally `nonces(issuer)`).
     * @param deadline Signature deadline.
     * @return The digest.
     */
    function issueDigest(address issuer, bytes32 credentialHash, uint64 expiresAt, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(ISSUE_TYPEHASH, issuer, credentialHash, expiresAt, nonce, deadline)));
    }

    // ─────────────────────────────────────── internal ───────────────────────────────────────

    /// @dev Shared single-issue path; `signer` is the key.
    function _issue(address signer, bytes32 credentialHash, uint64 expiresAt) internal {
        uint40 now40 = _now40();
        if (credentialHash == bytes32(0)) revert ZeroHash();
        _checkExpiry(expiresAt);
        (address issuer, uint16 changes) = _issuingOrganisation(signer);
        mapping(bytes32 => uint256) storage records = _credentials[issuer];
        if (records[credentialHash] != 0) revert AlreadyIssued(credentialHash, issuer);
        records[credentialHash] = _pack(signer, now40, expiresAt, changes);
        emit CredentialIssued(credentialHash, issuer, signer, expiresAt);
    }

    /// @dev Shared batch-issue path; `signer` is the key.
    function _issueBatch(address signer, bytes32 merkleRoot, uint32 count, uint64 expiresAt, string calldata uri)
        internal
    {
        uint40 now40 = _now40();
        if (merkleRoot == bytes32(0)) revert ZeroHash();
        if (count == 0) revert EmptyBatch();
        _checkExpiry(expiresAt);
        (address issuer, uint16 changes) = _issuingOrganisation(signer);
        mapping(bytes32 => uint256) storage records = _batches[issuer];
        if (records[merkleRoot] != 0) revert AlreadyIssued(merkleRoot, issuer);
        records[merkleRoot] = _pack(signer, now40, expiresAt, changes);
        emit BatchIssued(merkleRoot, issuer, signer, count, expiresAt, uri);
    }

    /// @dev Records a single revocation (existence and permission already checked).
    function _revokeAs(address issuer, bytes32 credentialHash, uint16 reasonCode, address revoker, Revoker by)
        internal
    {
        uint40 now40 = _now40();
        Revocation storage r = _revocations[issuer][credentialHash];
        if (r.revokedAt != 0) revert AlreadyRevoked(credentialHash, r.revokedAt);
        (r.revokedAt, r.reasonCode, r.revokedBy) = (now40, reasonCode, by);
        emit CredentialRevoked(credentialHash, issuer, reasonCode, revoker, by);
    }

    /// @dev Records a leaf revocation after checking the proof.
    function _revokeLeafAs(
        address issuer,
        bytes32 merkleRoot,
        bytes32 credentialHash,
        bytes32[] calldata proof,
        uint16 reasonCode,
        address revoker,
        Revoker by
    ) internal {
        uint40 now40 = _now40();
        bytes32 leaf = _leaf(credentialHash);
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) revert InvalidMerkleProof(merkleRoot, credentialHash);
        Revocation storage r = _leafRevocations[issuer][merkleRoot][leaf];
        if (r.revokedAt != 0) revert AlreadyRevoked(credentialHash, r.revokedAt);
        (r.revokedAt, r.reasonCode, r.revokedBy) = (now40, reasonCode, by);
        emit LeafRevoked(merkleRoot, credentialHash, issuer, leaf, reasonCode, revoker, by);
    }

    /// @dev Records a batch revocation (existence and permission already checked).
    function _revokeBatchAs(address issuer, bytes32 merkleRoot, uint16 reasonCode, address revoker, Revoker by)
        internal
    {
        uint40 now40 = _now40();
        Revocation storage r = _batchRevocations[issuer][merkleRoot];
        if (r.revokedAt != 0) revert AlreadyRevoked(merkleRoot, r.revokedAt);
        (r.revokedAt, r.reasonCode, r.revokedBy) = (now40, reasonCode, by);
        emit BatchRevoked(merkleRoot, issuer, reasonCode, revoker, by);
    }

    /// @dev For a direct revocation: the record must exist and the caller be a revoking key.
    function _issuerRevoker(address issuer, bytes32 hash, bool single) internal view returns (Revoker) {
        _now40();
        _requireRecord(single ? _credentials[issuer][hash] : _batches[issuer][hash], hash);
        _requireRevoker(_msgSender(), issuer, hash);
        return Revoker.Issuer;
    }

    /// @dev Reverts {NotIssued} for an empty record word.
    function _requireRecord(uint256 word, bytes32 hash) internal pure {
        if (word == 0) revert NotIssued(hash);
    }

    /// @dev Reverts {NotIssuer} unless `key` may revoke for `issuer`.
    function _requireRevoker(address key, address issuer, bytes32 hash) internal view {
        if (!issuerRegistry.canRevoke(key, issuer)) revert NotIssuer(hash, key, issuer);
    }

    /// @dev Reverts {NotAuthority} unless the caller holds REGISTRAR_ROLE in the issuer registry.
    function _requireAuthority() internal view {
        _now40();
        if (!issuerRegistry.hasRole(_REGISTRAR_ROLE, _msgSender())) revert NotAuthority(_msgSender());
    }

    /// @dev EIP-712 struct hash of an IssueBatch, consuming the key's nonce.
    function _batchStructHash(
        address issuer,
        bytes32 merkleRoot,
        uint32 count,
        uint64 expiresAt,
        string calldata uri,
        uint256 deadline
    ) internal returns (bytes32) {
        bytes memory head = abi.encode(ISSUE_BATCH_TYPEHASH, issuer, merkleRoot, count);
        bytes memory tail = abi.encode(expiresAt, keccak256(bytes(uri)), _useNonce(issuer), deadline);
        return keccak256(bytes.concat(head, tail));
    }

    /// @dev Body of {revokeLeafWithSig}.
    function _revokeLeafWithSig(LeafRequest memory q, bytes32[] calldata proof, bytes calldata signature) internal {
        _checkDeadline(q.deadline);
        bytes memory head = abi.encode(REVOKE_LEAF_TYPEHASH, q.signer, q.issuer, q.merkleRoot);
        bytes memory tail = abi.encode(q.credentialHash, q.reasonCode, _useNonce(q.signer), q.deadline);
        _checkSignature(q.signer, keccak256(bytes.concat(head, tail)), signature);
        _requireRecord(_batches[q.issuer][q.merkleRoot], q.merkleRoot);
        _requireRevoker(q.signer, q.issuer, q.merkleRoot);
        _revokeLeafAs(q.issuer, q.merkleRoot, q.credentialHash, proof, q.reasonCode, q.signer, Revoker.Issuer);
    }

    /// @dev Returns the current nonce of `signer` and advances its counter.
    function _useNonce(address signer) internal returns (uint256 nonce) {
        nonce = nonces(signer);
        _nonceCounters[signer] += 1;
    }

    /// @dev The signature epoch of the key's organisation; 0 if the call fails.
    function _signingEpoch(address signer) internal view returns (uint256) {
        (bool ok, bytes memory ret) =
            address(issuerRegistry).staticcall(abi.encodeCall(IssuerRegistry.signingEpoch, (signer)));
        if (!ok || ret.length < 32) return 0;
        return abi.decode(ret, (uint16));
    }

    /// @dev The organisation `signer` may issue for now, with its change count; reverts
    /// {IssuerNotInGoodStanding} if none.
    /// A plain static call decoded by hand (the registry is trusted; its answer is masked to
    /// the declared types, and a revert of the registry is passed on unchanged).
    function _issuingOrganisation(address signer) internal view returns (address issuer, uint16 changes) {
        address registry = address(issuerRegistry);
        bytes4 selector = IssuerRegistry.issuingOrganisation.selector;
        bool ok;
        uint256 size;
        assembly ("memory-safe") {
            mstore(0, selector)
            mstore(4, signer)
            ok := staticcall(gas(), registry, 0, 0x24, 0, 0x40)
            size := returndatasize()
            issuer := and(mload(0), 0xffffffffffffffffffffffffffffffffffffffff)
            changes := and(mload(0x20), 0xffff)
        }
        if (!ok || size < 0x60) _bubble();
        if (issuer == address(0)) revert IssuerNotInGoodStanding(signer);
    }

    /// @dev Reverts with the return data of the last call (a failed call's revert data).
    function _bubble() internal pure {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            returndatacopy(ptr, 0, returndatasize())
            revert(ptr, returndatasize())
        }
    }

    /// @dev Reverts unless `expiresAt` is 0 or in the future and fits in 40 bits.
    function _checkExpiry(uint64 expiresAt) internal view {
        if (expiresAt != 0 && (expiresAt <= block.timestamp || expiresAt > type(uint40).max)) {
            revert InvalidExpiry(expiresAt);
        }
    }

    /// @dev Reverts unless the deadline is now or later, and at most {MAX_SIGNATURE_WINDOW} away.
    function _checkDeadline(uint256 deadline) internal view {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        uint256 latest = block.timestamp + MAX_SIGNATURE_WINDOW;
        if (deadline > latest) revert DeadlineTooFar(deadline, latest);
    }

    /// @dev Reverts unless `signature` over the EIP-712 digest of `structHash` is valid for `signer`.
    function _checkSignature(address signer, bytes32 structHash, bytes calldata signature) internal view {
        if (!SignatureChecker.isValidSignatureNow(signer, _hashTypedDataV4(structHash), signature)) {
            revert InvalidSignature(signer);
        }
    }

    /// @dev The block time as a 40-bit field; reverts {TimeOverflow} rather than wrapping.
    function _now40() internal view returns (uint40) {
        if (block.timestamp > type(uint40).max) revert TimeOverflow(block.timestamp);
        return uint40(block.timestamp);
    }

    /// @dev Body of {verifyLeaf}: the verdict, the batch record and the revocation in force.
    function _verifyLeaf(address issuer, bytes32 merkleRoot, bytes32 credentialHash, bytes32[] calldata proof)
        internal
        view
        returns (Status status, Record memory rec, Revocation memory r)
    {
        rec = _unpack(_batches[issuer][merkleRoot]);
        if (rec.signer == address(0)) return (Status.NotIssued, rec, r);
        bytes32 leaf = _leaf(credentialHash);
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) return (Status.InvalidProof, rec, r);
        r = _leafRevocations[issuer][merkleRoot][leaf];
        if (r.revokedAt == 0) r = _batchRevocations[issuer][merkleRoot];
        status = _judge(issuer, rec, r);
    }

    /// @dev Applies the precedence rule to an existing record. Never reverts.
    function _judge(address issuer, Record memory rec, Revocation memory r) internal view returns (Status) {
        if (r.revokedAt != 0) return Status.Revoked;
        uint256 flag = _flag(issuer, rec);
        if (flag == uint256(IssuerRegistry.Flag.Compromised)) return Status.IssuerCompromised;
        if (rec.expiresAt != 0 && block.timestamp >= rec.expiresAt) return Status.Expired;
        if (flag == uint256(IssuerRegistry.Flag.Revoked)) return Status.IssuerRevoked;
        if (flag == uint256(IssuerRegistry.Flag.Suspended)) return Status.IssuerSuspended;
        return Status.Valid;
    }

    /// @dev The issuer registry's flag for a record as a raw number; a failed or malformed
    /// call yields `type(uint256).max` (treated as "not flagged"). Never reverts.
    function _flag(address issuer, Record memory rec) internal view returns (uint256) {
        (bool ok, bytes memory ret) = address(issuerRegistry).staticcall(
            abi.encodeCall(IssuerRegistry.judge, (issuer, rec.signer, rec.issuedAt, rec.changes))
        );
        if (!ok || ret.length < 32) return type(uint256).max;
        return abi.decode(ret, (uint256));
    }

    /// @dev Packs a record word.
    function _pack(address signer, uint40 issuedAt, uint64 expiresAt, uint16 changes) internal pure returns (uint256) {
        return uint256(uint160(signer)) | (uint256(issuedAt) << 160) | (uint256(expiresAt) << 200)
            | (uint256(changes) << 240);
    }

    /// @dev Unpacks a record word (all zero = not issued).
    function _unpack(uint256 word) internal pure returns (Record memory) {
        return Record({
            signer: address(uint160(word)),
            issuedAt: uint40(word >> 160),
            expiresAt: uint40(word >> 200),
            changes: uint16(word >> 240)
        });
    }

    /// @dev Merkle leaf: keccak256(keccak256(credentialHash)), both over 32 bytes.
    function _leaf(bytes32 credentialHash) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(credentialHash))));
    }
}
