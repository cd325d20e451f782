// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title StubIssuerRegistry
/// @notice Stands in for IssuerRegistry where a test needs a registry that misbehaves: every
///         key may issue for itself, and `judge` answers as last set by `setJudge` (a word,
///         a revert carrying that word, or 31 bytes). Test-only; never deployed to a public
///         network.
contract StubIssuerRegistry {
    /// @notice How `judge` answers: 0 a 32-byte word holding `judgeWord`, 1 a revert whose
    ///         data is that word, 2 the word's first 31 bytes.
    uint8 public judgeMode;
    /// @notice The word `judge` answers with (or reverts with).
    uint256 public judgeWord;

    /// @notice Emitted when the way `judge` answers changes.
    /// @param mode The new mode.
    /// @param word The new word.
    event JudgeSet(uint8 mode, uint256 word);

    /// @notice Sets how `judge` answers from now on.
    /// @param mode 0 answer, 1 revert, 2 short answer.
    /// @param word The word answered or reverted with.
    function setJudge(uint8 mode, uint256 word) external {
        judgeMode = mode;
        judgeWord = word;
        emit JudgeSet(mode, word);
    }

    /// @notice Every key is an organisation of its own, with one history entry and epoch 0.
    /// @param key The signing key.
    /// @return issuer The key itself.
    /// @return changes Always 1.
    /// @return epoch Always 0.
    function issuingOrganisation(address key) external pure returns (address issuer, uint16 changes, uint16 epoch) {
        return (key, 1, 0);
    }

    /// @notice Always 0.
    /// @return The signature epoch.
    function signingEpoch(address) external pure returns (uint16) {
        return 0;
    }

    /// @notice Answers as set by `setJudge`, whatever the arguments.
    /// @return The flag (mode 0 only; the other modes do not return a well-formed value).
    function judge(address, address, uint64, uint16) external view returns (uint256) {
        uint8 mode = judgeMode;
        uint256 word = judgeWord;
        assembly ("memory-safe") {
            mstore(0, word)
            if eq(mode, 1) { revert(0, 32) }
            if eq(mode, 2) { return(0, 31) }
            return(0, 32)
        }
    }
}
