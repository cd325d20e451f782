// SPDX-License-Identifier: MIT
pragma solidity ^0.6.0;

/// @notice Checked arithmetic for solc < 0.8 (which wraps silently).
library SafeMath {
    function add(uint256 a, uint256 b) internal pure returns (uint256) {
        uint256 c = a + b;
        require(c >= a, "SafeMath: addition overflow");
        return c;
    }

    function sub(uint256 a, uint256 b) internal pure returns (uint256) {
        require(b <= a, "SafeMath: subtraction overflow");
        return a - b;
    }
}
