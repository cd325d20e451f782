// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

contract Inner {
    error Limit(uint256 value, uint256 max);
    event Checked(address indexed caller, uint256 value);

    function check(uint256 value) external returns (uint256) {
        if (value > 10) {
            revert Limit(value, 10);
        }
        emit Checked(msg.sender, value);
        return value * 2;
    }

    function boom(uint256 a) external pure returns (uint256) {
        uint256 b = 100 / a;
        return b;
    }

    function say(bool bad) external pure returns (uint256) {
        require(!bad, "bad input");
        return 1;
    }
}

contract Outer {
    Inner public inner;

    constructor(Inner inner_) {
        inner = inner_;
    }

    function run(uint256 x) external returns (uint256) {
        uint256 y = inner.check(x);
        return y + 1;
    }

    function crash(uint256 a) external view returns (uint256) {
        return inner.boom(a);
    }
}
