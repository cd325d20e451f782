// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title VestToken
/// @notice A plain OpenZeppelin 5 ERC-20 with a hard supply cap; only the owner mints.
/// @dev Errors come from OpenZeppelin: `ERC20ExceededCap` past the cap,
///      `OwnableUnauthorizedAccount` for a mint by anyone else, `ERC20InsufficientBalance`
///      and `ERC20InsufficientAllowance` for transfers. Mints emit `Transfer(0, to, amount)`.
contract VestToken is ERC20Capped, Ownable {
    /// @param name_ The token's name.
    /// @param symbol_ The token's symbol.
    /// @param cap_ The most tokens (in base units) that can ever exist; must be non-zero.
    /// @param owner_ The account allowed to mint.
    constructor(string memory name_, string memory symbol_, uint256 cap_, address owner_)
        ERC20(name_, symbol_)
        ERC20Capped(cap_)
        Ownable(owner_)
    {}

    /// @notice Create `amount` new tokens for `to`; reverts past the cap.
    /// @param to The account receiving the tokens.
    /// @param amount Base units to create.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
