// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IPriceFeed} from "./interfaces/IPriceFeed.sol";
import {FeeMath} from "./libraries/FeeMath.sol";
import {Gold} from "./Gold.sol";

/// @notice Sells freshly minted Gold for ether at the feed's price, keeping a fee.
contract Shop {
    using FeeMath for uint256;

    Gold public immutable gold;
    IPriceFeed public immutable feed;
    uint256 public immutable feeBps;
    address public immutable owner;
    uint256 public feesCollected;

    event Bought(address indexed buyer, uint256 paid, uint256 amount, uint256 fee);
    event Withdrawn(address indexed to, uint256 amount);

    constructor(Gold gold_, IPriceFeed feed_, uint256 feeBps_) {
        require(feeBps_ <= 1_000, "fee too high");
        gold = gold_;
        feed = feed_;
        feeBps = feeBps_;
        owner = msg.sender;
    }

    /// @notice Buy Gold with the ether sent; returns the amount minted.
    function buy() external payable returns (uint256 amount) {
        require(msg.value > 0); // dev: no ether sent
        uint256 price = feed.latestPrice();
        require(price > 0); // dev: feed has no price
        uint256 fee = msg.value.bps(feeBps);
        amount = ((msg.value - fee) * 1e18) / price;
        feesCollected += fee;
        gold.mint(msg.sender, amount);
        emit Bought(msg.sender, msg.value, amount, fee);
    }

    /// @notice Send all ether held to `to` (owner only).
    function withdraw(address payable to) external {
        require(msg.sender == owner, "not owner");
        uint256 amount = address(this).balance;
        emit Withdrawn(to, amount);
        to.transfer(amount);
    }
}
