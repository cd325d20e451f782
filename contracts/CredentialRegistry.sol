// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IssuerRegistry} from "./IssuerRegistry.sol";

/**
 * @title CredentialRegistry
 * @notice Anchors credential hashes issued by accredited issuers, singly or in Merkle batches,
 * with expiry and revocation, and answers "is this credential valid?" with a view that never
 * reverts.
 *
 * Only hashes are stored: a `credentialHash` is a salted hash of the credential document
 * computed off chain; no personal data ever reaches the chain.
 *
 * Merkle batches. A batch commits to many credentials under one root. The leaf of a credential
 * is the double hash (OpenZeppelin convention):
 *
 *     leaf = keccak256(bytes.concat(keccak256(abi.encode(credentialHash))))
 *
 * i.e. for a 32-byte `credentialHash` h: `leaf = keccak256(keccak256(h))` where both hashes
 * are over exactly 32 bytes. Inner nodes are `keccak256(min(a, b) ‖ max(a, b))` (sorted pair,
 * 64 bytes, numeric comparison of the two 32-byte words), as in OpenZeppelin {MerkleProof}.
 * A proof is the list of sibling hashes from the leaf up; an odd node is promoted unchanged.
 * Because a leaf is a hash of 32 bytes and an inner node a hash of 64 bytes, an inner node
 * can never be presented as a leaf. {leafHash} computes the leaf on chain for cross-checks.
 *
 * Verification status precedence (first match wins):
 *
 *     NotIssued > InvalidProof > Revoked > Expired > IssuerRevoked > IssuerSuspended > Valid
 *
 * A credential is judged by its issuer's standing AT ISSUE TIME, which was good (enforced by
 * {issue}). A later suspension or revocation of the issuer's accreditation does not make the
 * credential invalid in the record, but {verify} reports it (IssuerRevoked / IssuerSuspended)
 * so verifiers can decide. An issuer whose accreditation merely ran out (Expired window) is
 * not flagged.
 *
 * Writes stop while paused; reads never do. Revocation by the original issuer is allowed even
 * if the issuer is no longer in good standing (so a suspended issuer can still withdraw bad
 * credentials).
 */
contract CredentialRegistry is AccessControlDefaultAdminRules, Pausable, EIP712, Nonces {
    /// @notice Role allowed to pause and unpause writes in an emergency.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @notice EIP-712 type hash of a delegated single issue.
    bytes32 public constant ISSUE_TYPEHASH = keccak256(
        "Issue(address issuer,bytes32 credentialHash,uint64 expiresAt,uint256 nonce,uint256 deadline)"
    );

    /// @notice EIP-712 type hash of a delegated batch issue.
    bytes32 public constant ISSUE_BATCH_TYPEHASH = keccak256(
        "IssueBatch(address issuer,bytes32 merkleRoot,uint32 count,uint64 expiresAt,string uri,uint256 nonce,uint256 deadline)"
    );

    /**
     * @notice Result of a verification.
     * @dev See the contract documentation for the precedence rule.
     */
    enum Status {
        NotIssued,
        Valid,
        Revoked,
        Expired,
        IssuerSuspended,
        InvalidProof,
        IssuerRevoked
    }

    /// @dev Unpacked view of a record word (see {_credentials}).
    struct Record {
        address issuer;
        uint40 issuedAt;
        uint40 expiresAt; // 0 = never
    }

    /// @dev One storage slot: 40 + 16 bits.
    struct Revocation {
        uint40 revokedAt;
        uint16 reasonCode;
    }

    /// @notice The issuer registry consulted on every issue and verification.
    IssuerRegistry public immutable issuerRegistry;

    /// @dev Records are stored as one packed word so that issuing is a single full-slot SSTORE:
    /// bits 0..159 issuer, 160..199 issuedAt (uint40), 200..239 expiresAt (uint40, 0 = never).
    mapping(bytes32 credentialHash => uint256 record) private _credentials;
    mapping(bytes32 credentialHash => Revocation) private _revocations;
    mapping(bytes32 merkleRoot => uint256 record) private _batches;
    mapping(bytes32 merkleRoot => Revocation) private _batchRevocations;
    mapping(bytes32 merkleRoot => mapping(bytes32 leaf => Revocation)) private _leafRevocations;

    /**
     * @notice Emitted when a single credential is issued.
     * @param credentialHash The credential hash.
     * @param issuer The issuer (the signer, for delegated issuance).
     * @param expiresAt Expiry, unix seconds (0 = never). Issued-at is the block timestamp.
     */
    event CredentialIssued(bytes32 indexed credentialHash, address indexed issuer, uint64 expiresAt);

    /**
     * @notice Emitted when a Merkle batch of credentials is issued.
     * @param merkleRoot The batch root.
     * @param issuer The issuer (the signer, for delegated issuance).
     * @param count Number of credentials in the batch (informational, not checked).
     * @param expiresAt Expiry of every credential in the batch (0 = never).
     * @param uri Where the batch manifest can be fetched (informational).
     */
    event BatchIssued(bytes32 indexed merkleRoot, address indexed issuer, uint32 count, uint64 expiresAt, string uri);

    /**
     * @notice Emitted when a single credential is revoked.
     * @param credentialHash The credential hash.
     * @param issuer The issuer who revoked it.
     * @param reasonCode Programme-defined reason code.
     */
    event CredentialRevoked(bytes32 indexed credentialHash, address indexed issuer, uint16 indexed reasonCode);

    /**
     * @notice Emitted when one credential of a batch is revoked.
     * @param merkleRoot The batch root.
     * @param credentialHash The revoked credential's hash.
     * @param issuer The issuer who revoked it.
     * @param leaf The revoked leaf, `leafHash(credentialHash)`.
     * @param reasonCode Programme-defined reason code.
     */
    event LeafRevoked(
        bytes32 indexed merkleRoot, bytes32 indexed credentialHash, address indexed issuer, bytes32 leaf, uint16 reasonCode
    );

    /**
     * @notice Emitted when a whole batch is revoked.
     * @param merkleRoot The batch root.
     * @param issuer The issuer who revoked it.
     * @param reasonCode Programme-defined reason code.
     */
    event BatchRevoked(bytes32 indexed merkleRoot, address indexed issuer, uint16 indexed reasonCode);

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
     * @notice The issuer is not in good standing now (not accredited, suspended, revoked,
     * or outside its validity window).
     * @param issuer The issuer address.
     */
    error IssuerNotInGoodStanding(address issuer);

    /**
     * @notice The expiry is in the past or does not fit in 40 bits.
     * @param expiresAt The given expiry.
     */
    error InvalidExpiry(uint64 expiresAt);

    /**
     * @notice The credential hash (or Merkle root) was already issued.
     * @param hash The hash or root.
     * @param issuer Who issued it.
     */
    error AlreadyIssued(bytes32 hash, address issuer);

    /**
     * @notice Nothing was issued under this credential hash (or Merkle root).
     * @param hash The hash or root.
     */
    error NotIssued(bytes32 hash);

    /**
     * @notice The caller is not the issuer of this credential or batch.
     * @param hash The credential hash or Merkle root.
     * @param caller The caller.
     * @param issuer The actual issuer.
     */
    error NotIssuer(bytes32 hash, address caller, address issuer);

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
     * @notice The delegated-issuance signature has expired.
     * @param deadline The signed deadline.
     */
    error SignatureExpired(uint256 deadline);

    /**
     * @notice The signature is not valid for `issuer` (ECDSA or EIP-1271).
     * @param issuer The claimed signer.
     */
    error InvalidSignature(address issuer);

    /**
     * @notice Deploys the registry.
     * @param registry Address of the {IssuerRegistry}.
     * @param initialDelay Delay (seconds) of the two-step default-admin transfer.
     * @param admin Initial default admin (grants PAUSER_ROLE afterwards).
     */
    constructor(address registry, uint48 initialDelay, address admin)
        AccessControlDefaultAdminRules(initialDelay, admin)
        EIP712("Daftar CredentialRegistry", "1")
    {
        if (registry.code.length == 0) revert InvalidIssuerRegistry(registry);
        issuerRegistry = IssuerRegistry(registry);
    }

    // ─────────────────────────────────────── writes ───────────────────────────────────────

    /**
     * @notice Issues one credential; the caller is the issuer and must be in good standing.
     * @param credentialHash Salted hash of the credential document (non-zero).
     * @param expiresAt Expiry, unix seconds, exclusive (0 = never; else in the future and < 2^40).
     */
    function issue(bytes32 credentialHash, uint64 expiresAt) external whenNotPaused {
        _issue(_msgSender(), credentialHash, expiresAt);
    }

    /**
     * @notice Issues a Merkle batch; the caller is the issuer and must be in good standing.
     * Costs the same whatever the batch size.
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
     * @notice Issues one credential on behalf of `issuer`, who signed EIP-712 typed data
     * `Issue(address issuer,bytes32 credentialHash,uint64 expiresAt,uint256 nonce,uint256 deadline)`
     * with its current `nonces(issuer)`. Anyone (a relayer) may submit and pay gas.
     * @dev EOA (ECDSA) and EIP-1271 contract signatures are accepted. Consumes the nonce.
     * @param issuer The signing issuer (must be in good standing).
     * @param credentialHash Salted hash of the credential document.
     * @param expiresAt Expiry (0 = never).
     * @param deadline Last unix second at which the signature is accepted.
     * @param signature The issuer's signature over the typed data.
     */
    function issueWithSig(
        address issuer,
        bytes32 credentialHash,
        uint64 expiresAt,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        bytes32 structHash =
            keccak256(abi.encode(ISSUE_TYPEHASH, issuer, credentialHash, expiresAt, _useNonce(issuer), deadline));
        _checkSignature(issuer, structHash, signature);
        _issue(issuer, credentialHash, expiresAt);
    }

    /**
     * @notice Issues a Merkle batch on behalf of `issuer`, who signed EIP-712 typed data
     * `IssueBatch(address issuer,bytes32 merkleRoot,uint32 count,uint64 expiresAt,string uri,uint256 nonce,uint256 deadline)`
     * with its current `nonces(issuer)` (`uri` is hashed per EIP-712: keccak256 of its bytes).
     * @dev EOA (ECDSA) and EIP-1271 contract signatures are accepted. Consumes the nonce.
     * @param issuer The signing issuer (must be in good standing).
     * @param merkleRoot The batch root.
     * @param count Number of credentials (> 0).
     * @param expiresAt Expiry of every credential (0 = never).
     * @param uri Batch manifest URI.
     * @param deadline Last unix second at which the signature is accepted.
     * @param signature The issuer's signature over the typed data.
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
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        _checkSignature(issuer, _batchStructHash(issuer, merkleRoot, count, expiresAt, uri, deadline), signature);
        _issueBatch(issuer, merkleRoot, count, expiresAt, uri);
    }

    /**
     * @notice Revokes a single credential. Only its original issuer may revoke (even if the
     * issuer is no longer in good standing).
     * @param credentialHash The credential hash.
     * @param reasonCode Programme-defined reason code.
     */
    function revoke(bytes32 credentialHash, uint16 reasonCode) external whenNotPaused {
        address issuer = address(uint160(_credentials[credentialHash]));
        if (issuer == address(0)) revert NotIssued(credentialHash);
        if (issuer != _msgSender()) revert NotIssuer(credentialHash, _msgSender(), issuer);
        Revocation storage r = _revocations[credentialHash];
        if (r.revokedAt != 0) revert AlreadyRevoked(credentialHash, r.revokedAt);
        r.revokedAt = uint40(block.timestamp);
        r.reasonCode = reasonCode;
        emit CredentialRevoked(credentialHash, issuer, reasonCode);
    }

    /**
     * @notice Revokes one credential of a batch. Only the batch's issuer may revoke; the proof
     * must connect `leafHash(credentialHash)` to `merkleRoot`.
     * @dev The second argument is the credential hash, not the leaf: the leaf is derived on
     * chain, so an inner node can never be revoked as if it were a leaf.
     * @param merkleRoot The batch root.
     * @param credentialHash The credential hash (the leaf is `leafHash(credentialHash)`).
     * @param proof Sibling hashes from the leaf to the root.
     * @param reasonCode Programme-defined reason code.
     */
    function revokeLeaf(bytes32 merkleRoot, bytes32 credentialHash, bytes32[] calldata proof, uint16 reasonCode)
        external
        whenNotPaused
    {
        address issuer = _batchIssuerOf(merkleRoot);
        bytes32 leaf = _leaf(credentialHash);
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) revert InvalidMerkleProof(merkleRoot, credentialHash);
        Revocation storage r = _leafRevocations[merkleRoot][leaf];
        if (r.revokedAt != 0) revert AlreadyRevoked(credentialHash, r.revokedAt);
        r.revokedAt = uint40(block.timestamp);
        r.reasonCode = reasonCode;
        emit LeafRevoked(merkleRoot, credentialHash, issuer, leaf, reasonCode);
    }

    /**
     * @notice Revokes every credential of a batch at once. Only the batch's issuer may revoke.
     * @param merkleRoot The batch root.
     * @param reasonCode Programme-defined reason code.
     */
    function revokeBatch(bytes32 merkleRoot, uint16 reasonCode) external whenNotPaused {
        address issuer = _batchIssuerOf(merkleRoot);
        Revocation storage r = _batchRevocations[merkleRoot];
        if (r.revokedAt != 0) revert AlreadyRevoked(merkleRoot, r.revokedAt);
        r.revokedAt = uint40(block.timestamp);
        r.reasonCode = reasonCode;
        emit BatchRevoked(merkleRoot, issuer, reasonCode);
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
     * @notice Verifies a singly issued credential. Never reverts.
     * @dev Precedence: NotIssued > Revoked > Expired > IssuerRevoked > IssuerSuspended > Valid.
     * Issuer flags come from the issuer's CURRENT stored status (suspended / revoked); the
     * credential itself was issued while the issuer was in good standing.
     * @param credentialHash The credential hash.
     * @return status The verdict.
     * @return issuer The issuer (zero if NotIssued).
     * @return issuedAt Issue time, unix seconds (0 if NotIssued).
     * @return expiresAt Expiry (0 = never).
     * @return revokedAt Revocation time (0 if not revoked).
     * @return reasonCode Revocation reason (0 if not revoked).
     */
    function verify(bytes32 credentialHash)
        external
        view
        returns (
            Status status,
            address issuer,
            uint64 issuedAt,
            uint64 expiresAt,
            uint64 revokedAt,
            uint16 reasonCode
        )
    {
        Record memory rec = _unpack(_credentials[credentialHash]);
        if (rec.issuer == address(0)) return (Status.NotIssued, address(0), 0, 0, 0, 0);
        Revocation memory r = _revocations[credentialHash];
        status = _judge(rec, r);
        return (status, rec.issuer, rec.issuedAt, rec.expiresAt, r.revokedAt, r.reasonCode);
    }

    /**
     * @notice Verifies a credential issued in a Merkle batch. Never reverts.
     * @dev Precedence: NotIssued (unknown root) > InvalidProof > Revoked (leaf or whole batch;
     * the leaf revocation is reported if both) > Expired > IssuerRevoked > IssuerSuspended > Valid.
     * For InvalidProof the batch's issuer/issuedAt/expiresAt are still returned.
     * @param merkleRoot The batch root.
     * @param credentialHash The credential hash (the leaf is `leafHash(credentialHash)`).
     * @param proof Sibling hashes from the leaf to the root.
     * @return status The verdict.
     * @return issuer The batch issuer (zero if NotIssued).
     * @return issuedAt Batch issue time (0 if NotIssued).
     * @return expiresAt Batch expiry (0 = never).
     * @return revokedAt Revocation time of the leaf (or of the whole batch), 0 if not revoked.
     * @return reasonCode Revocation reason, 0 if not revoked.
     */
    function verifyLeaf(bytes32 merkleRoot, bytes32 credentialHash, bytes32[] calldata proof)
        external
        view
        returns (
            Status status,
            address issuer,
            uint64 issuedAt,
            uint64 expiresAt,
            uint64 revokedAt,
            uint16 reasonCode
        )
    {
        Record memory rec = _unpack(_batches[merkleRoot]);
        if (rec.issuer == address(0)) return (Status.NotIssued, address(0), 0, 0, 0, 0);
        bytes32 leaf = _leaf(credentialHash);
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, leaf)) {
            return (Status.InvalidProof, rec.issuer, rec.issuedAt, rec.expiresAt, 0, 0);
        }
        Revocation memory r = _leafRevocations[merkleRoot][leaf];
        if (r.revokedAt == 0) r = _batchRevocations[merkleRoot];
        status = _judge(rec, r);
        return (status, rec.issuer, rec.issuedAt, rec.expiresAt, r.revokedAt, r.reasonCode);
    }

    /**
     * @notice The Merkle leaf of a credential:
     * `keccak256(bytes.concat(keccak256(abi.encode(credentialHash))))`, i.e. keccak256 applied
     * twice to the 32 bytes of `credentialHash`.
     * @param credentialHash The credential hash.
     * @return The leaf.
     */
    function leafHash(bytes32 credentialHash) external pure returns (bytes32) {
        return _leaf(credentialHash);
    }

    /**
     * @notice Raw record of a Merkle batch.
     * @param merkleRoot The batch root.
     * @return issuer The issuer (zero if unknown).
     * @return issuedAt Issue time.
     * @return expiresAt Expiry (0 = never).
     * @return revokedAt When the whole batch was revoked (0 if not).
     * @return reasonCode Batch revocation reason (0 if not revoked).
     */
    function batchInfo(bytes32 merkleRoot)
        external
        view
        returns (address issuer, uint64 issuedAt, uint64 expiresAt, uint64 revokedAt, uint16 reasonCode)
    {
        Record memory rec = _unpack(_batches[merkleRoot]);
        Revocation memory r = _batchRevocations[merkleRoot];
        return (rec.issuer, rec.issuedAt, rec.expiresAt, r.revokedAt, r.reasonCode);
    }

    /**
     * @notice The EIP-712 digest an issuer signs for {issueWithSig} (for client cross-checks).
     * @param issuer The signing issuer.
     * @param credentialHash The credential hash.
     * @param expiresAt Expiry (0 = never).
     * @param nonce The issuer's nonce to be consumed (normally `nonces(issuer)`).
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

    /// @dev Shared single-issue path.
    function _issue(address issuer, bytes32 credentialHash, uint64 expiresAt) internal {
        if (credentialHash == bytes32(0)) revert ZeroHash();
        _checkExpiry(expiresAt);
        _checkIssuer(issuer);
        uint256 existing = _credentials[credentialHash];
        if (existing != 0) revert AlreadyIssued(credentialHash, address(uint160(existing)));
        _credentials[credentialHash] = _pack(issuer, expiresAt);
        emit CredentialIssued(credentialHash, issuer, expiresAt);
    }

    /// @dev Shared batch-issue path.
    function _issueBatch(address issuer, bytes32 merkleRoot, uint32 count, uint64 expiresAt, string calldata uri)
        internal
    {
        if (merkleRoot == bytes32(0)) revert ZeroHash();
        if (count == 0) revert EmptyBatch();
        _checkExpiry(expiresAt);
        _checkIssuer(issuer);
        uint256 existing = _batches[merkleRoot];
        if (existing != 0) revert AlreadyIssued(merkleRoot, address(uint160(existing)));
        _batches[merkleRoot] = _pack(issuer, expiresAt);
        emit BatchIssued(merkleRoot, issuer, count, expiresAt, uri);
    }

    /// @dev EIP-712 struct hash of an IssueBatch, consuming the issuer's nonce.
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

    /// @dev Reverts unless `issuer` is in good standing now.
    function _checkIssuer(address issuer) internal view {
        if (!issuerRegistry.isInGoodStanding(issuer)) revert IssuerNotInGoodStanding(issuer);
    }

    /// @dev Reverts unless `expiresAt` is 0 or in the future and fits in 40 bits.
    function _checkExpiry(uint64 expiresAt) internal view {
        if (expiresAt != 0 && (expiresAt <= block.timestamp || expiresAt > type(uint40).max)) {
            revert InvalidExpiry(expiresAt);
        }
    }

    /// @dev Reverts unless `signature` over the EIP-712 digest of `structHash` is valid for `issuer`.
    function _checkSignature(address issuer, bytes32 structHash, bytes calldata signature) internal view {
        if (!SignatureChecker.isValidSignatureNow(issuer, _hashTypedDataV4(structHash), signature)) {
            revert InvalidSignature(issuer);
        }
    }

    /// @dev Returns the batch issuer, reverting unless the batch exists and the caller issued it.
    function _batchIssuerOf(bytes32 merkleRoot) internal view returns (address issuer) {
        issuer = address(uint160(_batches[merkleRoot]));
        if (issuer == address(0)) revert NotIssued(merkleRoot);
        if (issuer != _msgSender()) revert NotIssuer(merkleRoot, _msgSender(), issuer);
    }

    /// @dev Applies the precedence rule to an existing record. Never reverts.
    function _judge(Record memory rec, Revocation memory r) internal view returns (Status) {
        if (r.revokedAt != 0) return Status.Revoked;
        if (rec.expiresAt != 0 && block.timestamp >= rec.expiresAt) return Status.Expired;
        uint256 standing = _currentStanding(rec.issuer);
        if (standing == uint256(IssuerRegistry.Standing.Revoked)) return Status.IssuerRevoked;
        if (standing == uint256(IssuerRegistry.Standing.Suspended)) return Status.IssuerSuspended;
        return Status.Valid;
    }

    /// @dev The issuer's current standing as a raw number; a failed or malformed call yields
    /// `type(uint256).max` (treated as "not flagged"). Never reverts.
    function _currentStanding(address issuer) internal view returns (uint256 standing) {
        (bool ok, bytes memory ret) =
            address(issuerRegistry).staticcall(abi.encodeCall(IssuerRegistry.currentStanding, (issuer)));
        if (!ok || ret.length < 32) return type(uint256).max;
        return abi.decode(ret, (uint256));
    }

    /// @dev Packs a record issued now. `expiresAt` was checked to fit in 40 bits.
    function _pack(address issuer, uint64 expiresAt) internal view returns (uint256) {
        // issuedAt is a uint40 field: masking keeps a (far-future) timestamp out of expiresAt.
        return uint256(uint160(issuer)) | (uint256(uint40(block.timestamp)) << 160) | (uint256(expiresAt) << 200);
    }

    /// @dev Unpacks a record word (all zero = not issued).
    function _unpack(uint256 word) internal pure returns (Record memory) {
        return Record({issuer: address(uint160(word)), issuedAt: uint40(word >> 160), expiresAt: uint40(word >> 200)});
    }

    /// @dev Merkle leaf: keccak256(keccak256(credentialHash)), both over 32 bytes.
    function _leaf(bytes32 credentialHash) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(credentialHash))));
    }
}
