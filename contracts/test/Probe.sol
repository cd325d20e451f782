// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Probe
/// @notice Exercises the framework: storage writes with events, every kind of revert,
///         block time, and ABI types. Test-only; never deployed to a public network.
contract Probe {
    /// @notice The owner set at deployment.
    address public immutable owner;
    /// @notice The last value stored by `set`.
    uint256 public value;
    /// @notice Values stored per key by `put`.
    mapping(bytes32 key => uint256) public store;

    /// @notice Emitted on every `set`.
    /// @param who The caller.
    /// @param value The new value.
    event ValueSet(address indexed who, uint256 value);
    /// @notice Emitted on every `put`.
    /// @param key The key written.
    /// @param value The value written.
    /// @param note A free text note.
    event Put(bytes32 indexed key, uint256 value, string note);

    /// @notice Raised when `set` is given a value above the limit.
    /// @param value The value given.
    /// @param limit The highest value accepted.
    error TooLarge(uint256 value, uint256 limit);
    /// @notice Raised when someone other than the owner calls an owner-only function.
    /// @param caller The caller.
    error NotOwner(address caller);

    /// @param owner_ The account allowed to call `ownerOnly`.
    constructor(address owner_) payable {
        owner = owner_;
    }

    /// @notice Store a value (at most 1e18) and emit ValueSet.
    /// @param newValue The value to store.
    function set(uint256 newValue) external {
        if (newValue > 1e18) revert TooLarge(newValue, 1e18);
        value = newValue;
        emit ValueSet(msg.sender, newValue);
    }

    /// @notice Store a value under a key and emit Put.
    /// @param key The key.
    /// @param newValue The value.
    /// @param note A note carried in the event only.
    function put(bytes32 key, uint256 newValue, string calldata note) external {
        store[key] = newValue;
        emit Put(key, newValue, note);
    }

    /// @notice Reverts with Error(string) unless `ok`.
    /// @param ok Whether to succeed.
    function requireOk(bool ok) external pure returns (bool) {
        require(ok, "not ok");
        return ok;
    }

    /// @notice Divides, panicking (0x12) on division by zero.
    /// @param a Dividend.
    /// @param b Divisor.
    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    /// @notice Only the owner may call this.
    function ownerOnly() external view returns (bool) {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        return true;
    }

    /// @notice The current block's timestamp, number and chain id.
    function clock() external view returns (uint256 timestamp, uint256 number, uint256 chainId) {
        return (block.timestamp, block.number, block.chainid);
    }

    /// @notice Echo values of several ABI types back.
    function echo(address a, int128 i, bytes32 h, bytes calldata b, string calldata s, bool f)
        external
        pure
        returns (address, int128, bytes32, bytes memory, string memory, bool)
    {
        return (a, i, h, b, s, f);
    }
}
