// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IPriceFeed} from "./interfaces/IPriceFeed.sol";

/// @notice A price feed its owner sets by hand (stands in for an oracle).
contract MockFeed is IPriceFeed {
    address public immutable owner;
    uint256 private price;

    event PriceSet(uint256 price);

    constructor(uint256 initialPrice) {
        owner = msg.sender;
        price = initialPrice;
    }

    function setPrice(uint256 newPrice) external {
        require(msg.sender == owner, "not owner");
        price = newPrice;
        emit PriceSet(newPrice);
    }

    function latestPrice() external view returns (uint256) {
        return price;
    }
}
