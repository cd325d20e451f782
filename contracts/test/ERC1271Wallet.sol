// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/**
 * @title ERC1271Wallet
 * @notice TEST HELPER. A minimal EIP-1271 contract wallet owned by one EOA: a signature is
 * valid if it is the owner's ECDSA signature of the hash. The owner can also make the wallet
 * call other contracts (e.g. to issue directly). Not for production use.
 */
contract ERC1271Wallet is IERC1271 {
    /// @notice The EOA whose signatures the wallet accepts.
    address public immutable owner;

    /**
     * @notice Emitted when the owner makes the wallet call another contract.
     * @param target The called contract.
     * @param value Wei sent.
     * @param data Calldata.
     */
    event Executed(address indexed target, uint256 value, bytes data);

    /**
     * @notice The caller is not the owner.
     * @param caller The caller.
     */
    error NotOwner(address caller);

    /**
     * @notice The forwarded call reverted.
     * @param returnData The callee's revert data.
     */
    error CallFailed(bytes returnData);

    /**
     * @notice Deploys the wallet.
     * @param owner_ The owning EOA.
     */
    constructor(address owner_) {
        owner = owner_;
    }

    /**
     * @notice EIP-1271 check.
     * @param hash The signed digest.
     * @param signature The owner's 65-byte ECDSA signature.
     * @return magicValue `0x1626ba7e` if valid, `0xffffffff` otherwise.
     */
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4 magicValue) {
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(hash, signature);
        if (err == ECDSA.RecoverError.NoError && signer == owner) return IERC1271.isValidSignature.selector;
        return 0xffffffff;
    }

    /**
     * @notice Makes the wallet call `target` (owner only).
     * @param target The contract to call.
     * @param value Wei to send.
     * @param data Calldata.
     * @return result The call's return data.
     */
    function execute(address target, uint256 value, bytes calldata data) external payable returns (bytes memory result) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        bool ok;
        (ok, result) = target.call{value: value}(data);
        if (!ok) revert CallFailed(result);
        emit Executed(target, value, data);
    }
}
