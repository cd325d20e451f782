// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title TokenVesting
/// @notice Holds one ERC-20 token for several beneficiaries and releases each grant
///         linearly over its duration, nothing before its cliff. The owner creates grants
///         (paying them in) and may revoke a revocable grant: what has vested stays with the
///         beneficiary, the rest goes back to the owner.
/// @dev One schedule per beneficiary. Vested at time `t` (non-revoked):
///      0 before `start + cliff`, `total` from `start + duration`, else
///      `total * (t - start) / duration` rounded down. A revoked schedule's `total` is what
///      had vested at revocation, all of it releasable. `totalOwed` is Σ (total − released).
contract TokenVesting is Ownable {
    using SafeERC20 for IERC20;

    /// @notice One beneficiary's grant.
    /// @param total Tokens granted (after a revocation: the amount vested at revocation).
    /// @param released Tokens already paid to the beneficiary.
    /// @param start Unix time vesting starts.
    /// @param cliff Seconds after `start` before anything vests.
    /// @param duration Seconds after `start` when everything has vested (never zero).
    /// @param revocable Whether the owner may revoke the grant.
    /// @param revoked Whether the owner has revoked it.
    struct Schedule {
        uint256 total;
        uint256 released;
        uint64 start;
        uint64 cliff;
        uint64 duration;
        bool revocable;
        bool revoked;
    }

    /// @notice The token this contract vests.
    IERC20 public immutable token;

    /// @notice Tokens owed to beneficiaries: granted and not yet released or refunded.
    uint256 public totalOwed;

    mapping(address beneficiary => Schedule) private _schedules;

    /// @notice A grant was created and its tokens paid in by the owner.
    event ScheduleCreated(
        address indexed beneficiary, uint256 amount, uint64 start, uint64 cliff, uint64 duration, bool revocable
    );
    /// @notice Vested tokens were paid to `beneficiary`; `caller` sent the transaction.
    event Released(address indexed beneficiary, address indexed caller, uint256 amount);
    /// @notice The owner revoked a grant: `vested` stays releasable, `refund` went to the owner.
    event Revoked(address indexed beneficiary, uint256 vested, uint256 refund);

    /// @notice The zero address was given where an account or the token is needed.
    error ZeroAddress();
    /// @notice A grant of zero tokens.
    error ZeroAmount();
    /// @notice A grant with a zero duration.
    error ZeroDuration();
    /// @notice The cliff ends after the vesting does.
    error CliffExceedsDuration(uint64 cliff, uint64 duration);
    /// @notice The beneficiary already has a schedule (one each).
    error ScheduleExists(address beneficiary);
    /// @notice The beneficiary has no schedule.
    error UnknownSchedule(address beneficiary);
    /// @notice Nothing has vested beyond what was already released.
    error NothingToRelease(address beneficiary);
    /// @notice The schedule was created as not revocable.
    error NotRevocable(address beneficiary);
    /// @notice The schedule is already revoked.
    error AlreadyRevoked(address beneficiary);

    /// @param token_ The ERC-20 to vest.
    /// @param owner_ The account that creates and revokes grants and receives refunds.
    constructor(IERC20 token_, address owner_) Ownable(owner_) {
        if (address(token_) == address(0)) revert ZeroAddress();
        token = token_;
    }

    /// @notice Grant `amount` tokens to `beneficiary`, vesting from `start` over `duration`
    ///         seconds with nothing before `cliff` seconds; the owner pays them in (approve
    ///         this contract first).
    /// @param beneficiary The account the tokens vest for.
    /// @param amount Base units granted.
    /// @param start Unix time vesting starts (may be in the past).
    /// @param cliff Seconds after `start` before anything vests; at most `duration`.
    /// @param duration Seconds after `start` when everything has vested; not zero.
    /// @param revocable Whether the owner may later revoke the unvested part.
    function createSchedule(
        address beneficiary,
        uint256 amount,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        bool revocable
    ) external onlyOwner {
        if (beneficiary == address(0)) revert ZeroAddress();
        if (amount == 0) revert ZeroAmount();
        if (duration == 0) revert ZeroDuration();
        if (cliff > duration) revert CliffExceedsDuration(cliff, duration);
        if (_schedules[beneficiary].duration != 0) revert ScheduleExists(beneficiary);
        _schedules[beneficiary] = Schedule(amount, 0, start, cliff, duration, revocable, false);
        totalOwed += amount;
        emit ScheduleCreated(beneficiary, amount, start, cliff, duration, revocable);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Pay `beneficiary` everything vested and not yet released; anyone may call.
    /// @param beneficiary The schedule's beneficiary (the tokens go to them, not the caller).
    /// @return amount The tokens paid.
    function release(address beneficiary) external returns (uint256 amount) {
        Schedule storage s = _existing(beneficiary);
        amount = _vested(s, block.timestamp) - s.released;
        if (amount == 0) revert NothingToRelease(beneficiary);
        s.released += amount;
        totalOwed -= amount;
        emit Released(beneficiary, msg.sender, amount);
        token.safeTransfer(beneficiary, amount);
    }

    /// @notice Stop a revocable grant: what has vested stays releasable by the beneficiary,
    ///         the unvested rest is refunded to the owner.
    /// @param beneficiary The schedule's beneficiary.
    /// @return refund The tokens returned to the owner.
    function revoke(address beneficiary) external onlyOwner returns (uint256 refund) {
        Schedule storage s = _existing(beneficiary);
        if (!s.revocable) revert NotRevocable(beneficiary);
        if (s.revoked) revert AlreadyRevoked(beneficiary);
        uint256 vested = _vested(s, block.timestamp);
        refund = s.total - vested;
        s.total = vested;
        s.revoked = true;
        totalOwed -= refund;
        emit Revoked(beneficiary, vested, refund);
        if (refund > 0) token.safeTransfer(owner(), refund);
    }

    /// @notice The beneficiary's schedule (all zero if they have none); fields as in `Schedule`.
    /// @param beneficiary The account to look up.
    function schedule(address beneficiary)
        external
        view
        returns (
            uint256 total,
            uint256 released,
            uint64 start,
            uint64 cliff,
            uint64 duration,
            bool revocable,
            bool revoked
        )
    {
        Schedule storage s = _schedules[beneficiary];
        return (s.total, s.released, s.start, s.cliff, s.duration, s.revocable, s.revoked);
    }

    /// @notice Tokens vested for `beneficiary` at `timestamp`, released or not (0 if no schedule).
    /// @param beneficiary The account to look up.
    /// @param timestamp Any unix time.
    function vestedAmount(address beneficiary, uint64 timestamp) external view returns (uint256) {
        Schedule storage s = _schedules[beneficiary];
        return s.duration == 0 ? 0 : _vested(s, timestamp);
    }

    /// @notice Tokens `release(beneficiary)` would pay now.
    /// @param beneficiary The account to look up.
    function releasable(address beneficiary) external view returns (uint256) {
        Schedule storage s = _schedules[beneficiary];
        return s.duration == 0 ? 0 : _vested(s, block.timestamp) - s.released;
    }

    function _existing(address beneficiary) private view returns (Schedule storage s) {
        s = _schedules[beneficiary];
        if (s.duration == 0) revert UnknownSchedule(beneficiary);
    }

    function _vested(Schedule storage s, uint256 t) private view returns (uint256) {
        if (s.revoked) return s.total;
        uint256 start = s.start;
        if (t < start + s.cliff) return 0;
        if (t >= start + s.duration) return s.total;
        return Math.mulDiv(s.total, t - start, s.duration);
    }
}
