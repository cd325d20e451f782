"""Local stand-ins for the explorers' verification APIs.

There is no network here, so each explorer is replaced by a threaded `http.server` on
127.0.0.1 (port 0) that implements the endpoints as the explorer documents them (see the
docstrings of daftar.explorer.etherscan / sourcify / blockscout for what was relied on).
Every stand-in CHECKS every field a client submits against the recorded artifact and
deployment, collects what is wrong in `problems`, and answers from a script the test
gives it (pending then success, already verified, failure with the explorer's message).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import uuid
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from daftar.explorer import Submission
from daftar.explorer.http import Http

API_KEY = "TESTKEY-0123456789abcdef"
ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
CREATION_TX = "0x" + "ab" * 32
SEPOLIA = 11155111


class StandIn:
    """A threaded HTTP server whose answers come from `answer(method, path, query, ...)`."""

    def __init__(self, sub: Submission) -> None:
        self.sub = sub
        self.requests: list[dict[str, Any]] = []
        self.problems: list[str] = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with stand_in.lock:
                    stand_in.requests.append(
                        {"method": self.command, "path": parts.path, "raw_path": self.path}
                    )
                    status, payload = stand_in.answer(
                        self.command, parts.path, query, self.headers, body
                    )
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def expect(self, field: str, got: Any, want: Any) -> None:
        if got != want:
            self.problems.append(f"{field}: got {str(got)[:80]!r}, want {str(want)[:80]!r}")

    def count(self, method: str) -> int:
        return sum(1 for r in self.requests if r["method"] == method)

    def answer(
        self, method: str, path: str, query: dict[str, str], headers: Any, body: bytes
    ) -> tuple[int, Any]:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _next(script: list[Any]) -> Any:
    """The next scripted answer; the last one repeats."""
    return script.pop(0) if len(script) > 1 else script[0]


class EtherscanStandIn(StandIn):
    """Etherscan API v2 at /v2/api: verifysourcecode (POST) and checkverifystatus (GET).

    `submits` are (status, result) answers to POSTs; `checks` are results of GETs.
    An HTTP error can be scripted as an int (e.g. 502) in either list.
    """

    def __init__(self, sub: Submission, submits: list[Any], checks: list[Any]) -> None:
        super().__init__(sub)
        self.submits, self.checks = submits, checks
        self.guid = "x3ryqcqr1zdknhfhkimqmizlcqpxncqc6nrvp3pgrcpfsqedqi"

    def answer(self, method, path, query, headers, body):  # type: ignore[no-untyped-def]
        self.expect("path", path, "/v2/api")
        self.expect("chainid (query)", query.get("chainid"), str(self.sub.chain_id))
        fields = dict(query)
        if method == "POST":
            form = parse_qs(body.decode(), keep_blank_values=True)
            fields.update({k: v[0] for k, v in form.items()})
            self.expect("apikey kept out of the POST URL", "apikey" in query, False)
        self.expect("apikey", fields.get("apikey"), API_KEY)
        self.expect("module", fields.get("module"), "contract")
        if method == "POST":
            return self._submit(fields)
        self.expect("action", fields.get("action"), "checkverifystatus")
        self.expect("guid", fields.get("guid"), self.guid)
        result = _next(self.checks)
        if isinstance(result, int):
            return result, b"<html>upstream error</html>"
        ok = result.startswith(("Pass", "Already"))
        return 200, {
            "status": "1" if ok else "0",
            "message": "OK" if ok else "NOTOK",
            "result": result,
        }

    def _submit(self, fields: dict[str, str]) -> tuple[int, Any]:
        sub = self.sub
        self.expect("action", fields.get("action"), "verifysourcecode")
        self.expect("codeformat", fields.get("codeformat"), "solidity-standard-json-input")
        self.expect("contractaddress", fields.get("contractaddress"), sub.address)
        self.expect(
            "contractname", fields.get("contractname"), f"{sub.source_name}:{sub.contract_name}"
        )
        self.expect("compilerversion", fields.get("compilerversion"), f"v{sub.compiler_version}")
        args = sub.constructor_args.hex()
        self.expect("constructorArguements", fields.get("constructorArguements"), args)
        self.expect(
            "constructorArguments (current spelling)", fields.get("constructorArguments"), args
        )
        try:
            self.expect("sourceCode", json.loads(fields.get("sourceCode", "")), sub.input)
        except ValueError:
            self.problems.append("sourceCode is not JSON")
        answer = _next(self.submits)
        if isinstance(answer, int):
            return answer, b"<html>upstream error</html>"
        status, result = answer
        return 200, {
            "status": status,
            "message": "OK" if status == "1" else "NOTOK",
            "result": result,
        }


class SourcifyStandIn(StandIn):
    """Sourcify APIv2: POST /v2/verify/{chainId}/{address}, GET /v2/verify/{verificationId}.

    `submit` is (HTTP status, body) for the POST; `jobs` are bodies of successive GETs.
    """

    def __init__(self, sub: Submission, submit: tuple[int, Any], jobs: list[Any]) -> None:
        super().__init__(sub)
        self.submit, self.jobs = submit, jobs
        self.job_id = str(uuid.uuid4())

    def answer(self, method, path, query, headers, body):  # type: ignore[no-untyped-def]
        sub = self.sub
        if method == "POST":
            self.expect("path", path.lower(), f"/v2/verify/{sub.chain_id}/{sub.address.lower()}")
            self.expect("content type", headers.get("Content-Type"), "application/json")
            payload = json.loads(body)
            self.expect("stdJsonInput", payload.get("stdJsonInput"), sub.input)
            self.expect("compilerVersion", payload.get("compilerVersion"), sub.compiler_version)
            self.expect(
                "contractIdentifier",
                payload.get("contractIdentifier"),
                f"{sub.source_name}:{sub.contract_name}",
            )
            self.expect(
                "creationTransactionHash", payload.get("creationTransactionHash"), sub.creation_tx
            )
            status, answer = self.submit
            if status == 202:
                answer = {"verificationId": self.job_id}
            return status, answer
        self.expect("path", path, f"/v2/verify/{self.job_id}")
        job = dict(_next(self.jobs))
        job["verificationId"] = self.job_id
        return 200, job


ENGINE = Path(__file__).with_name("sourcify_engine.js")
#: lib-sourcify's match names → Sourcify API v2's.
_V2_MATCH = {"perfect": "exact_match", "partial": "match", None: None}


def sourcify_engine(job: dict[str, Any], node_modules: Path | None = None) -> dict[str, Any]:
    """The verdict of Sourcify's own engine (lib-sourcify 3.4.0 + the project's solc-js)."""
    env = dict(os.environ)
    if node_modules is not None:
        env["DAFTAR_NODE_MODULES"] = str(node_modules)
    proc = subprocess.run(
        ["node", str(ENGINE)], input=json.dumps(job), capture_output=True, text=True,
        timeout=300, env=env,
    )  # fmt: skip
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if not lines:
        return {"error": f"engine exited {proc.returncode}: {proc.stderr[-500:]}"}
    return json.loads(lines[-1])


class SourcifyEngineStandIn(StandIn):
    """Sourcify APIv2 whose verdicts come from Sourcify's own verification engine.

    POST /v2/verify/{chainId}/{address} runs lib-sourcify on what the client submitted
    (stdJsonInput, compilerVersion, contractIdentifier, creationTransactionHash) against the
    chain at `rpc`; GET /v2/verify/{id} answers with the verdict: exact_match (perfect),
    match (partial), or the engine's error (e.g. no_match). `verdicts` keeps every one.
    """

    def __init__(self, sub: Submission, rpc: str, node_modules: Path | None = None) -> None:
        super().__init__(sub)
        self.rpc, self.node_modules = rpc, node_modules
        self.jobs_by_id: dict[str, dict[str, Any]] = {}
        self.verdicts: list[dict[str, Any]] = []

    def answer(self, method, path, query, headers, body):  # type: ignore[no-untyped-def]
        if method == "POST":
            parts = path.strip("/").split("/")  # v2 verify <chainId> <address>
            if len(parts) != 4 or parts[:2] != ["v2", "verify"]:
                return 404, {"customCode": "not_found", "message": path, "errorId": "x"}
            payload = json.loads(body)
            source, _, name = str(payload.get("contractIdentifier", "")).rpartition(":")
            job_id = str(uuid.uuid4())
            job = {
                "rpc": self.rpc,
                "chainId": int(parts[2]),
                "address": parts[3],
                "creationTx": payload.get("creationTransactionHash"),
                "version": payload.get("compilerVersion"),
                "input": payload.get("stdJsonInput"),
                "path": source,
                "name": name,
            }
            self.jobs_by_id[job_id] = {}  # running: Sourcify answers 202 and works on
            threading.Thread(target=self._run, args=(job_id, job), daemon=True).start()
            return 202, {"verificationId": job_id}
        job_id = path.rsplit("/", 1)[-1]
        if job_id not in self.jobs_by_id:
            return 404, {"customCode": "not_found", "message": "no such job", "errorId": "x"}
        verdict = self.jobs_by_id[job_id]
        if not verdict:
            return 200, {"isJobCompleted": False, "verificationId": job_id}
        job: dict[str, Any] = {"isJobCompleted": True, "verificationId": job_id}
        runtime, creation = verdict.get("runtimeMatch"), verdict.get("creationMatch")
        best = (
            "perfect"
            if "perfect" in (runtime, creation)
            else ("partial" if "partial" in (runtime, creation) else None)
        )
        if verdict.get("error") or best is None:
            job["error"] = {
                "customCode": verdict.get("code") or "no_match",
                "message": verdict.get("error") or "no match",
                "errorId": job_id,
            }
        else:
            job["contract"] = {
                "match": _V2_MATCH[best],
                "runtimeMatch": _V2_MATCH[runtime],
                "creationMatch": _V2_MATCH[creation],
            }
        return 200, job

    def _run(self, job_id: str, job: dict[str, Any]) -> None:
        verdict = sourcify_engine(job, self.node_modules)
        with self.lock:
            self.verdicts.append(verdict)
            self.jobs_by_id[job_id] = verdict


class BlockscoutStandIn(StandIn):
    """Blockscout API v2: standard-input verification (multipart) and the contract's status.

    `submit` is (HTTP status, body); `statuses` are (HTTP status, body) of successive GETs
    of /api/v2/smart-contracts/{address}.
    """

    def __init__(self, sub: Submission, submit: tuple[int, Any], statuses: list[Any]) -> None:
        super().__init__(sub)
        self.submit, self.statuses = submit, statuses
        self.license = "mit"

    def answer(self, method, path, query, headers, body):  # type: ignore[no-untyped-def]
        sub = self.sub
        base = f"/api/v2/smart-contracts/{sub.address}"
        if method == "GET":
            self.expect("path", path, base)
            return _next(self.statuses)
        self.expect("path", path, f"{base}/verification/via/standard-input")
        ctype = headers.get("Content-Type", "")
        self.expect("content type", ctype.split(";")[0], "multipart/form-data")
        message = BytesParser(policy=policy.HTTP).parsebytes(
            f"Content-Type: {ctype}\r\n\r\n".encode() + body
        )
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            fields[name] = (part.get_filename(), part.get_payload(decode=True))
        self.expect(
            "compiler_version",
            fields.get("compiler_version", (0, b""))[1].decode(),
            f"v{sub.compiler_version}",
        )
        self.expect(
            "contract_name",
            fields.get("contract_name", (0, b""))[1].decode(),
            f"{sub.source_name}:{sub.contract_name}",
        )
        self.expect("license_type", fields.get("license_type", (0, b""))[1].decode(), self.license)
        self.expect(
            "autodetect_constructor_args",
            fields.get("autodetect_constructor_args", (0, b""))[1].decode(),
            "false",
        )
        self.expect(
            "constructor_args",
            fields.get("constructor_args", (0, b""))[1].decode(),
            sub.constructor_args.hex(),
        )
        filename, content = fields.get("files[0]", (None, b"{}"))
        self.expect("files[0] file name", filename, "input.json")
        self.expect("files[0] content", json.loads(content), sub.input)
        return self.submit


def fast_http(name: str, secrets: tuple[str, ...] = ()) -> Http:
    """Retries with millisecond backoff, so retry paths stay fast in tests."""
    return Http(name, secrets, retries=2, backoff=0.01, timeout=5)
