"""Coverage results: per file, contract and function; a terminal table, lcov, HTML, JSON.

A line is *hit* when a statement starting on it ran, *missed* when none did, *partial* when
some ran but another statement on it did not, or a branch on it took one outcome only. The
lines % counts hit and partial lines (as lcov does); the JSON also counts statements.
"""

from __future__ import annotations

import fnmatch
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from daftar.contract.sourcemap import Code, CodeIndex, parse_source_map
from daftar.testing.coverage.analysis import Branch, Model, Statement
from daftar.testing.coverage.collect import Hits

_OUTCOME = {True: "jumped", False: "fell through"}  # the deciding JUMPI's two ways


@dataclass
class FileResult:
    path: str
    lines: dict[int, str] = field(default_factory=dict)  # line -> hit | missed | partial
    statements: dict[int, tuple[Statement, bool]] = field(default_factory=dict)
    branches: dict[tuple[int, int], tuple[Branch, set[bool]]] = field(default_factory=dict)
    text: str = ""


@dataclass
class Coverage:
    files: dict[str, FileResult]

    # -- numbers --------------------------------------------------------------------------------
    def functions(self) -> dict[tuple[str, str], dict[str, int]]:
        """(contract, function) -> statements / hit, branch outcomes / hit."""
        out: dict[tuple[str, str], dict[str, int]] = {}
        for fr in self.files.values():
            owner: dict[int, tuple[str, str]] = {}  # a line belongs to its first statement's
            for st, hit in sorted(fr.statements.values(), key=lambda x: x[0].start):
                row = out.setdefault((st.contract, st.function), _zero())
                row["statements"] += 1
                row["statements_hit"] += hit
                owner.setdefault(st.line, (st.contract, st.function))
            for line, fn in owner.items():
                out[fn]["lines"] += 1
                out[fn]["lines_hit"] += fr.lines.get(line) != "missed"
            for br, seen in fr.branches.values():
                row = out.setdefault((br.contract, br.function), _zero())
                row["branches"] += 2
                row["branches_hit"] += len(seen)
        return out

    def contracts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (contract, _fn), row in self.functions().items():
            total = out.setdefault(contract, _zero())
            for k, v in row.items():
                total[k] += v
        return out

    def totals(self) -> dict[str, int]:
        total = _zero()
        for row in self.contracts().values():
            for k, v in row.items():
                total[k] += v
        return total

    # -- outputs --------------------------------------------------------------------------------
    def table(self, backend: str = "") -> list[str]:
        rows = self.functions()
        width = max([len(f"  {fn}") for _c, fn in rows] + [len(c) for c, _ in rows] + [20])
        head = f"{'contract / function':<{width}}  {'lines':>14}  {'branches':>14}"
        lines = [head, "-" * len(head)]
        for contract, total in sorted(self.contracts().items()):
            lines.append(
                f"{contract:<{width}}  {_cell(total, 'lines')}  {_cell(total, 'branches')}"
            )
            for (c, fn), row in sorted(rows.items()):
                if c == contract:
                    lines.append(
                        f"{'  ' + fn:<{width}}  {_cell(row, 'lines')}  {_cell(row, 'branches')}"
                    )
        total = self.totals()
        lines += ["-" * len(head), f"{'total':<{width}}  {_cell(total, 'lines')}  "
                  f"{_cell(total, 'branches')}"]  # fmt: skip
        return lines

    def lcov(self) -> str:
        out = []
        for path, fr in sorted(self.files.items()):
            out += ["TN:", f"SF:{path}"]
            fns: dict[str, tuple[int, bool]] = {}
            for st, hit in sorted(fr.statements.values(), key=lambda x: x[0].start):
                name = f"{st.contract}.{st.function}"
                first, any_hit = fns.get(name, (st.line, False))
                fns[name] = (min(first, st.line), any_hit or hit)
            for name, (line, _hit) in fns.items():
                out.append(f"FN:{line},{name}")
            for name, (_line, hit) in fns.items():
                out.append(f"FNDA:{int(hit)},{name}")
            out += [f"FNF:{len(fns)}", f"FNH:{sum(h for _l, h in fns.values())}"]
            for n, (br, seen) in enumerate(sorted(fr.branches.values(), key=lambda x: x[0].start)):
                for outcome, taken in ((0, True), (1, False)):
                    out.append(f"BRDA:{br.line},{n},{outcome},{int(taken in seen)}")
            taken = sum(len(s) for _b, s in fr.branches.values())
            out += [f"BRF:{2 * len(fr.branches)}", f"BRH:{taken}"]
            for line, status in sorted(fr.lines.items()):
                out.append(f"DA:{line},{0 if status == 'missed' else 1}")
            hit = sum(1 for s in fr.lines.values() if s != "missed")
            out += [f"LF:{len(fr.lines)}", f"LH:{hit}", "end_of_record"]
        return "\n".join(out) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "totals": self.totals(),
            "contracts": self.contracts(),
            "functions": {f"{c}.{f}": row for (c, f), row in self.functions().items()},
            "files": {
                path: {
                    "lines": {str(k): v for k, v in sorted(fr.lines.items())},
                    "branches": [
                        {
                            "line": br.line,
                            "kind": br.kind,
                            "taken": [_OUTCOME[j] for j in sorted(seen)],
                        }
                        for br, seen in sorted(fr.branches.values(), key=lambda x: x[0].start)
                    ],
                }
                for path, fr in sorted(self.files.items())
            },
        }

    def html(self, title: str = "Solidity coverage") -> str:
        total = self.totals()
        parts = [
            "<!doctype html><html><head><meta charset='utf-8'>",
            f"<title>{html.escape(title)}</title><style>",
            "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}",
            "td,th{padding:2px 8px;text-align:left}pre{margin:0}",
            ".src td{font-family:monospace;white-space:pre;padding:0 6px}",
            ".hit{background:#d7f5d7}.missed{background:#f8d0d0}.partial{background:#fbf0b0}",
            ".n{color:#888;text-align:right}",
            "</style></head><body>",
            f"<h1>{html.escape(title)}</h1>",
            f"<p>Lines {_pct(total, 'lines')}, branches {_pct(total, 'branches')}. "
            "Green: hit; red: missed; yellow: partial (a branch taken one way only, or "
            "another statement on the line missed).</p>",
            "<table><tr><th>contract / function</th><th>lines</th><th>branches</th></tr>",
        ]
        rows = self.functions()
        for contract, row in sorted(self.contracts().items()):
            parts.append(f"<tr><th>{html.escape(contract)}</th><td>{_pct(row, 'lines')}</td>"
                         f"<td>{_pct(row, 'branches')}</td></tr>")  # fmt: skip
            for (c, fn), r in sorted(rows.items()):
                if c == contract:
                    parts.append(
                        f"<tr><td>&nbsp;&nbsp;{html.escape(fn)}</td><td>{_pct(r, 'lines')}"
                        f"</td><td>{_pct(r, 'branches')}</td></tr>"
                    )
        parts.append("</table>")
        for path, fr in sorted(self.files.items()):
            parts.append(f"<h2 id='{html.escape(path)}'>{html.escape(path)}</h2>")
            notes: dict[int, list[str]] = {}
            for br, seen in fr.branches.values():
                if len(seen) < 2:
                    taken = "never reached" if not seen else "taken one way only"
                    notes.setdefault(br.line, []).append(f"{br.kind}: {taken}")
            parts.append("<table class='src'>")
            for n, text in enumerate(fr.text.splitlines(), 1):
                status = fr.lines.get(n, "")
                note = "; ".join(notes.get(n, []))
                tip = html.escape(status + (": " + note if note else ""))
                parts.append(
                    f"<tr class='{status}' title='{tip}'>"
                    f"<td class='n'>{n}</td><td>{html.escape(status)}</td>"
                    f"<td>{html.escape(text) or ' '}</td><td>{html.escape(note)}</td></tr>"
                )
            parts.append("</table>")
        parts.append("</body></html>")
        return "\n".join(parts)

    def write(self, folder: Path) -> dict[str, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = {
            "lcov": folder / "lcov.info",
            "html": folder / "index.html",
            "json": folder / "coverage.json",
        }
        paths["lcov"].write_text(self.lcov())
        paths["html"].write_text(self.html())
        paths["json"].write_text(json.dumps(self.to_json(), indent=1))
        return paths


def _zero() -> dict[str, int]:
    return {
        "lines": 0,
        "lines_hit": 0,
        "branches": 0,
        "branches_hit": 0,
        "statements": 0,
        "statements_hit": 0,
    }


def _pct(row: dict[str, int], what: str) -> str:
    total, hit = row[what], row[f"{what}_hit"]
    return "—" if not total else f"{100 * hit / total:.1f}% ({hit}/{total})"


def _cell(row: dict[str, int], what: str) -> str:
    return f"{_pct(row, what):>14}"


# -- putting it together ------------------------------------------------------------------------
@dataclass
class Filters:
    """Brownie's `reports:` keys: `exclude_paths` (globs over source paths),
    `exclude_contracts` (contract names), `only_include_project` (default true: sources
    outside the project's contracts folder, e.g. OpenZeppelin's, are left out)."""

    exclude_paths: list[str] = field(default_factory=list)
    exclude_contracts: list[str] = field(default_factory=list)
    only_include_project: bool = True
    contracts_folder: str = "contracts"

    @classmethod
    def of(cls, config: Any) -> Filters:
        reports = (config.raw.get("reports") or {}) if config is not None else {}
        folder = "contracts"
        if config is not None:
            try:
                folder = config.contracts_dir.relative_to(config.root).as_posix()
            except ValueError:
                folder = config.contracts_dir.as_posix()
        only = reports.get("only_include_project")
        return cls(
            list(reports.get("exclude_paths") or []),
            list(reports.get("exclude_contracts") or []),
            True if only is None else bool(only),
            folder,
        )

    def path_ok(self, path: str) -> bool:
        if self.only_include_project and not path.startswith(
            self.contracts_folder.rstrip("/") + "/"
        ):
            return False
        return not any(fnmatch.fnmatch(path, pat) for pat in self.exclude_paths)

    def contract_ok(self, name: str) -> bool:
        return name not in self.exclude_contracts


def compute(
    artifacts: list[dict[str, Any]], build_dir: Path, hits: Hits, filters: Filters | None = None
) -> Coverage:
    filters = filters or Filters()
    index = CodeIndex(artifacts, build_dir)
    model = Model()
    codes: list[Code] = []
    for art in index.artifacts:
        sources = index.sources.of(art)
        for kind, hexcode, smap in (
            ("call", art["deployedBytecode"], art.get("deployedSourceMap", "")),
            ("create", art.get("bytecode", ""), art.get("sourceMap", "")),
        ):
            if hexcode and smap:
                codes.append(
                    Code(art, kind, bytes.fromhex(hexcode), parse_source_map(smap), sources)
                )
    for code in codes:
        model.code_map(code)  # every statement and branch that has code

    ran: dict[str, set[int]] = {}
    seen: dict[str, dict[tuple[int, int], set[bool]]] = {}
    for (kind, blob), pcs in hits.pcs.items():
        code = _resolve(index, kind, blob)
        if code is None:
            continue
        cmap = model.code_map(code)
        for pc in pcs:
            where = cmap.statements.get(pc)
            if where:
                ran.setdefault(where[0], set()).add(where[1])
        for pc, jumped in hits.jumps.get((kind, blob), set()):
            br = cmap.branches.get(pc)
            if br:
                seen.setdefault(br[0], {}).setdefault(br[1], set()).add(jumped)

    files: dict[str, FileResult] = {}
    for path, fm in model.files.items():
        if not filters.path_ok(path):
            continue
        fr = FileResult(path, text=fm.source.text)
        for sid in model.executable[path]:
            st = fm.statements[sid]
            if filters.contract_ok(st.contract):
                fr.statements[sid] = (st, sid in ran.get(path, set()))
        for key in model.decided[path]:
            br = fm.branches[key]
            if filters.contract_ok(br.contract):
                fr.branches[key] = (br, seen.get(path, {}).get(key, set()))
        by_line: dict[int, list[bool]] = {}
        for st, hit in fr.statements.values():
            by_line.setdefault(st.line, []).append(hit)
        for line, hits_ in by_line.items():
            fr.lines[line] = "hit" if all(hits_) else ("partial" if any(hits_) else "missed")
        for br, outcomes in fr.branches.values():
            if len(outcomes) < 2 and fr.lines.get(br.line) == "hit":
                fr.lines[br.line] = "partial"
        if fr.statements:
            files[path] = fr
    return Coverage(files)


def _resolve(index: CodeIndex, kind: str, blob: bytes) -> Code | None:
    if kind == "created":  # anvil: the runtime code a CREATE left; the creation map ran
        runtime = index.match("call", blob)
        if runtime is None:
            return None
        art = runtime.artifact
        return Code(art, "create", bytes.fromhex(art["bytecode"]),
                    parse_source_map(art.get("sourceMap", "")), index.sources.of(art))  # fmt: skip
    return index.match(kind, blob)
