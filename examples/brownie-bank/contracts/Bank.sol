// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Holds ether for anyone: deposit for yourself or another, withdraw your own,
/// move balances inside the bank. Tracks the total it owes.
contract Bank {
    mapping(address => uint256) public balanceOf;
    uint256 public totalDeposits;

    event Deposited(address indexed from, address indexed to, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event Moved(address indexed from, address indexed to, uint256 amount);

    function deposit(address to) external payable {
        require(msg.value > 0, "nothing to deposit");
        balanceOf[to] += msg.value;
        totalDeposits += msg.value;
        emit Deposited(msg.sender, to, msg.value);
    }

    function withdraw(uint256 amount) external {
        require(balanceOf[msg.sender] >= amount, "insufficient balance");
        balanceOf[msg.sender] -= amount;
        totalDeposits -= amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok, ) = msg.sender.call{value: amount}("");
        require(ok); // dev: ether transfer failed
    }

    function move(address to, uint256 amount) external returns (bool) {
        require(to != address(0)); // dev: move to the zero address
        require(balanceOf[msg.sender] >= amount, "insufficient balance");
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Moved(msg.sender, to, amount);
        return true;
    }
}
