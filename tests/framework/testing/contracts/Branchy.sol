// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Branchy {
    error TooBig(uint256 value, uint256 limit);
    uint256 public total;
    event Added(address indexed who, uint256 value);

    function add(uint256 x) external returns (uint256) {
        if (x > 100) {
            revert TooBig(x, 100);
        }
        total += x;
        emit Added(msg.sender, x);
        return total;
    }

    function pick(uint256 a, bool flag) external pure returns (uint256) {
        require(a != 7, "seven");
        uint256 r = flag ? a : a * 2;
        for (uint256 i = 0; i < a; i++) {
            r += 1;
        }
        if (a > 3 && flag) {
            r += 10;
        }
        return r;
    }
}
