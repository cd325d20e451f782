// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Basis-point fees (1 bps = 0.01 %).
library FeeMath {
    uint256 internal constant BPS = 10_000;

    function bps(uint256 amount, uint256 feeBps) internal pure returns (uint256) {
        return (amount * feeBps) / BPS;
    }
}
