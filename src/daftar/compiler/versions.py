"""`pragma solidity` ranges: npm semver ranges, matched against released compiler versions.

Solidity's version pragma uses npm's range syntax: exact (`0.8.30`, `=0.8.30`), comparators
(`>=0.6.0 <0.8.0`, spaces mean *and*), caret (`^0.6.0`), tilde (`~0.4.24`), x-ranges
(`0.8`, `0.8.x`, `*`), hyphen ranges (`0.5.0 - 0.7.6`) and `||` between alternatives. Only
released versions are matched (compilers have no pre-releases), so a range is a union of
half-open intervals over (major, minor, patch); tests check this against node's `semver`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from daftar.errors import CompileError

Version = tuple[int, int, int]

_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_STRINGS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_PRAGMA = re.compile(r"\bpragma\s+solidity\s+([^;]*);")
_PARTIAL = re.compile(
    r"^v?(?P<major>[0-9]+|[xX*])"
    r"(?:\.(?P<minor>[0-9]+|[xX*])"
    r"(?:\.(?P<patch>[0-9]+|[xX*])(?P<pre>-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?)?$"
)
_COMPARATOR = re.compile(r"^(?P<op><=|>=|<|>|=|\^|~>?|)(?P<ver>.*)$")


def parse_version(text: str) -> Version:
    """`0.8.30` (or `0.8.30+commit.…`, `v0.8.30`) as a tuple."""
    m = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)(?:\+[0-9A-Za-z.-]+)?", text.strip())
    if not m:
        raise ValueError(f"not a compiler version: {text!r} (expected e.g. 0.8.30)")
    return int(m[1]), int(m[2]), int(m[3])


def format_version(version: Version) -> str:
    return ".".join(map(str, version))


@dataclass(frozen=True)
class _Bound:
    """`version` inclusive or not; a pre-release bound sits just below its release."""

    version: Version
    pre: bool = False


@dataclass(frozen=True)
class Range:
    """One pragma's (or several pragmas') set of acceptable versions."""

    text: str
    # Alternatives (||) of conjunctions of (op, version, pre) comparators.
    alternatives: tuple[tuple[tuple[str, Version, bool], ...], ...]

    def __contains__(self, version: Version) -> bool:
        return any(all(_test(c, version) for c in alt) for alt in self.alternatives)

    def __and__(self, other: Range) -> Range:
        alts = tuple(a + b for a in self.alternatives for b in other.alternatives)
        return Range(f"{self.text} and {other.text}", alts)

    def newest(self, versions: list[Version] | set[Version]) -> Version | None:
        ok = [v for v in versions if v in self]
        return max(ok) if ok else None


ANY = Range("*", ((),))


def _test(comparator: tuple[str, Version, bool], version: Version) -> bool:
    op, bound, pre = comparator
    # A release v against a pre-release bound b-pre: v == b counts as v > b-pre.
    if pre and version == bound:
        return op in (">", ">=")
    return {
        "<": version < bound,
        "<=": version <= bound,
        ">": version > bound,
        ">=": version >= bound,
        "=": version == bound,
    }[op]


def parse_range(text: str) -> Range:
    """Parse an npm-style range; raises ValueError on syntax npm would also reject."""
    alternatives = []
    for part in text.split("||"):
        alternatives.append(tuple(_parse_conjunction(part.strip(), text)))
    return Range(text.strip(), tuple(alternatives))


def _parse_conjunction(part: str, whole: str) -> list[tuple[str, Version, bool]]:
    if not part:
        return []
    hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", part)
    if hyphen:
        low, high = _partial(hyphen[1], whole), _partial(hyphen[2], whole)
        return _ge(low) + _le(high)
    # npm lets a space follow an operator: `>= 0.4.0`, `^ 0.8.0`.
    part = re.sub(r"(<=|>=|<|>|=|\^|~>?)\s+", r"\1", part)
    out: list[tuple[str, Version, bool]] = []
    for token in part.split():
        m = _COMPARATOR.match(token)
        assert m is not None
        op, p = m["op"], _partial(m["ver"], whole)
        if op == "^":
            out += _caret(p)
        elif op in ("~", "~>"):
            out += _tilde(p)
        elif op in ("", "="):
            out += _ge(p) + _le(p)
        elif op == ">=":
            out += _ge(p)
        elif op == "<=":
            out += _le(p)
        elif op == ">":
            out += _gt(p)
        else:  # "<"
            out += _lt(p)
    return out


@dataclass(frozen=True)
class _Partial:
    parts: tuple[int | None, ...]  # major, minor, patch; None for a missing/x part
    pre: bool

    def filled(self) -> Version:
        """Missing parts (and any after an x) as zeros: `1.x.3` is `1.0.0`."""
        d = self.depth
        return tuple(p if i < d else 0 for i, p in enumerate(self.parts))  # type: ignore[return-value]

    @property
    def depth(self) -> int:
        """How many leading parts are numbers (x and missing parts end the version)."""
        n = 0
        for p in self.parts:
            if p is None:
                break
            n += 1
        return n

    def bump(self) -> Version:
        """The first version past this partial (`0.8` -> `0.9.0`); depth must be < 3."""
        d = self.depth
        nums = list(self.filled())
        nums[d - 1] += 1
        return tuple(nums)  # type: ignore[return-value]


def _partial(text: str, whole: str) -> _Partial:
    m = _PARTIAL.match(text)
    if not m:
        raise ValueError(f"invalid version range {whole!r}: cannot read {text!r}")
    parts: list[int | None] = []
    for name in ("major", "minor", "patch"):
        raw = m[name]
        parts.append(None if raw is None or raw in "xX*" else int(raw))
    partial = _Partial(tuple(parts), False)
    # A pre-release tag only counts on a full version (npm ignores it on `1.x-beta`).
    return _Partial(partial.parts, bool(m["pre"]) and partial.depth == 3)


def _ge(p: _Partial) -> list[tuple[str, Version, bool]]:
    return [] if p.depth == 0 else [(">=", p.filled(), p.pre)]


def _le(p: _Partial) -> list[tuple[str, Version, bool]]:
    if p.depth == 0:
        return []
    if p.depth < 3:
        return [("<", p.bump(), False)]
    return [("<=", p.filled(), p.pre)]


def _gt(p: _Partial) -> list[tuple[str, Version, bool]]:
    if p.depth == 0:
        return [("<", (0, 0, 0), False)]  # `>*` matches nothing
    if p.depth < 3:
        return [(">=", p.bump(), False)]
    return [(">", p.filled(), p.pre)]


def _lt(p: _Partial) -> list[tuple[str, Version, bool]]:
    if p.depth == 0:
        return [("<", (0, 0, 0), False)]  # `<*` matches nothing
    return [("<", p.filled(), p.pre)]


def _tilde(p: _Partial) -> list[tuple[str, Version, bool]]:
    d = p.depth
    if d == 0:
        return []
    if d == 1:
        return [*_ge(p), ("<", p.bump(), False)]
    major, minor, _ = p.filled()
    return [(">=", p.filled(), p.pre), ("<", (major, minor + 1, 0), False)]


def _caret(p: _Partial) -> list[tuple[str, Version, bool]]:
    d = p.depth
    if d == 0:
        return []
    major, minor, patch = p.filled()
    if d == 1 or major != 0:
        upper = (major + 1, 0, 0)
    elif d == 2 or minor != 0:
        upper = (0, minor + 1, 0)
    else:
        upper = (0, 0, patch + 1)
    return [(">=", p.filled(), p.pre), ("<", upper, False)]


def pragma_ranges(content: str) -> list[str]:
    """The text of every `pragma solidity …;` in a source (comments and strings ignored)."""
    code = _STRINGS.sub('""', _COMMENTS.sub("", content))
    return [m.strip() for m in _PRAGMA.findall(code)]


def source_range(unit: str, content: str) -> Range:
    """What a source accepts: every pragma in it at once, or anything if it has none."""
    result = ANY
    for text in pragma_ranges(content):
        try:
            parsed = parse_range(text)
        except ValueError as exc:
            raise CompileError(f"{unit}: `pragma solidity {text};` {exc}") from None
        result = parsed if result is ANY else result & parsed
    return result
