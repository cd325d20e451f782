// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Where the shop reads the price of one whole token, in wei.
interface IPriceFeed {
    function latestPrice() external view returns (uint256);
}
