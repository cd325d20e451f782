"""The registry, end to end, on the embedded chain: the README's first command runs this.

It compiles the contracts, deploys the whole registry, and walks through what the
programme's people do: the agency accredits a university, the university issues a batch of
credentials, a verifier checks one, the university revokes one, the agency suspends the
university, a thief steals the university's key (the office marks it compromised since the
theft: forged credentials turn invalid, genuine ones stay valid, the university continues
with a new key), and a government-linked company runs a pilot from proposal to completion with
milestones and server-integrity checkpoints, including a forged checkpoint the chain refuses.
Each verdict is the one `daftar credential verify` prints: the same service call
(daftar_registry.services.verdict.verify) and the same verdict line.

    python scripts/demo.py [--network development|tester|anvil]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from daftar.chain.base import Reverted
from daftar.errors import DaftarError
from daftar.project import Project
from daftar_registry import (
    HolderFile,
    MerkleTree,
    RegistryRoles,
    anchor_checkpoint,
    build_credential,
    deploy_registry,
    hash_directory,
    next_checkpoint,
    was_anchored,
)
from daftar_registry.client import local_client
from daftar_registry.render import verdict_line
from daftar_registry.services.verdict import Verdict, verify
from daftar_registry.status import PilotStatus

console = Console(highlight=False, soft_wrap=True)
REASON_ISSUED_IN_ERROR = 1
REASON_UNDER_INVESTIGATION = 7


def step(title: str) -> None:
    console.print(f"\n[bold cyan]▶ {title}[/]")


def say(text: str) -> None:
    console.print(f"  {text}")


def short(value: bytes | str) -> str:
    text = value if isinstance(value, str) else "0x" + value.hex()
    return text[:10] + "…" + text[-4:]


def show_verdict(verdict: Verdict) -> Verdict:
    colour = "green" if verdict.valid else "yellow"
    say(f"verify → {verdict_line(verdict, mark=lambda name: f'[bold {colour}]{name}[/]')}")
    return verdict


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--network", default=None, help="network from brownie-config.yaml")
    args = parser.parse_args(argv)

    step("Compile the contracts (solc-js via py-solc-x; cached when nothing changed)")
    project = Project.load(progress=say)
    if project.build and not project.build.compiled:
        say(f"build/ is up to date: {', '.join(project.build.contracts)}")

    chain = project.connect(args.network)
    say(f"chain: {chain.name} ({chain.backend}), chain id {chain.chain_id}")
    try:
        run_story(project, chain)
    finally:
        project.close()
    console.print(
        "\n[bold green]Done.[/] Every step above was a real transaction or call on the EVM."
    )
    return 0


def run_story(project: Project, chain) -> None:
    agency, office, pauser, university, company = chain.accounts[:5]

    step("Deploy the registry: IssuerRegistry, CredentialRegistry, PilotRegistry")
    roles = RegistryRoles(admin=agency, registrar=office, programme_office=office, pauser=pauser)
    reg = deploy_registry(project, roles, progress=say)

    step("The programme office accredits a university as a credential issuer")
    one_year = 365 * 24 * 3600
    now = chain.time()
    reg.issuers.accredit(
        university, "Universiti Teknologi Daftar", "ipfs://accreditation/utd", now, now + one_year,
        sender=office,
    )  # fmt: skip
    say(f"issuer {university.address} accredited until {one_year // 86400} days from now")

    step("The university issues five degree certificates as one Merkle batch")
    graduates = ["Aisyah", "Daniel", "Mei Ling", "Kumar", "Farah"]
    docs = [
        build_credential(
            {"name": name, "degree": "BSc Blockchain Engineering", "year": 2026},
            university,
            chain.name,
            expires_at=0,
        )
        for name in graduates
    ]
    tree = MerkleTree([d.credential_hash for d in docs])
    client = local_client(reg, chain)

    def holder(doc, proof_of=None) -> HolderFile:
        """The graduate's holder file (kept in memory here): document, batch root, proof."""
        proof = tree.proof((proof_of or doc).credential_hash)
        return HolderFile(doc, reg.credentials.address, chain.name, tree.root, tuple(proof))

    receipt = reg.credentials.issueBatch(
        tree.root, len(docs), 0, "ipfs://batches/2026", sender=university
    )
    say(f"batch root {short(tree.root)} anchored in block {receipt.block_number}, "
        f"gas {receipt.gas_used:,} (the same for 5 or 10,000 credentials)")  # fmt: skip
    say("only salted hashes are on chain: names and degrees stay in the graduates' files")

    step("An employer verifies Daniel's certificate with the proof from his holder file")
    daniel = docs[1]
    show_verdict(verify(client, holder(daniel)))

    step("The university revokes Kumar's certificate (issued in error)")
    kumar = docs[3]
    reg.credentials.revokeLeaf(
        university, tree.root, kumar.credential_hash, tree.proof(kumar.credential_hash),
        REASON_ISSUED_IN_ERROR, sender=university,
    )  # fmt: skip
    verdict = show_verdict(verify(client, holder(kumar)))
    say(f"revoked {when(verdict.revoked_at)}, reason code {verdict.reason_code}")

    step("A forged certificate (not in the batch) is checked against the same root")
    forged = build_credential({"name": "Mallory", "degree": "PhD"}, university, chain.name)
    show_verdict(verify(client, holder(forged, proof_of=daniel)))

    step("The programme office suspends the university pending an investigation")
    reg.issuers.suspend(university, REASON_UNDER_INVESTIGATION, 0, sender=office)
    show_verdict(verify(client, holder(daniel)))
    say("why: Daniel's certificate was issued while the university was in good standing, so it")
    say("is not invalid; verify reports the issuer's current suspension separately, so the")
    say("employer can decide. A suspended issuer cannot issue anything new:")
    try:
        reg.credentials.issue(b"\x42" * 32, 0, sender=university)
    except Reverted as exc:
        say(f"[red]refused[/]: {exc}")
    reg.issuers.reinstate(university, sender=office)
    say("after the investigation the university is reinstated:")
    show_verdict(verify(client, holder(daniel)))

    run_stolen_key(reg, chain, client, office, university, chain.accounts[5], holder(daniel))
    run_pilot(reg, chain, office, company)


def run_stolen_key(reg, chain, client, office, university, new_key, daniel) -> None:
    step("A thief steals the university's signing key and forges a certificate")
    chain.sleep(3_600)
    stolen_at = chain.time()
    forged = build_credential(
        {"name": "Mallory", "degree": "PhD Blockchain Engineering", "year": 2026},
        university, chain.name,
    )  # fmt: skip
    reg.credentials.issue(forged.credential_hash, 0, sender=university)  # the thief, signing
    forged_file = HolderFile(forged, reg.credentials.address, chain.name, None, ())
    show_verdict(verify(client, forged_file))
    say("the chain cannot tell the thief from the university: the key is the university's")

    step("The programme office marks the key compromised since the theft")
    reg.issuers.retireKey(university, university, stolen_at, sender=office)
    say(f"key {short(university.address)} retired, compromised since {when(stolen_at)}")
    say("the forged certificate, anchored after that time, is now invalid:")
    show_verdict(verify(client, forged_file))
    say("Daniel's genuine certificate, anchored before the theft, stays valid:")
    show_verdict(verify(client, daniel))
    try:
        reg.credentials.revokeLeaf(
            university, daniel.merkle_root, daniel.credential_hash, list(daniel.proof), 9,
            sender=university,
        )  # fmt: skip
    except Reverted as exc:
        say(f"the thief tries to revoke Daniel's certificate: [red]refused[/]: {exc}")
    reg.credentials.authorityRevoke(university, forged.credential_hash, 9, sender=office)
    verdict = show_verdict(verify(client, forged_file))
    say(f"the office also revoked the forgery outright (revoked by the {verdict.revoked_by})")

    step("The university continues with a new key")
    reg.issuers.addKey(university, new_key, sender=office)
    fresh = build_credential(
        {"name": "Nurul", "degree": "BSc Blockchain Engineering", "year": 2026},
        university, chain.name,
    )  # fmt: skip
    reg.credentials.issue(fresh.credential_hash, 0, sender=new_key)
    verdict = show_verdict(
        verify(client, HolderFile(fresh, reg.credentials.address, chain.name, None, ()))
    )
    say(f"issued by the university (signed by its new key {short(verdict.signer or '')})")


def run_pilot(reg, chain, office, company) -> None:
    step("A government-linked company runs a blockchain pilot")
    reg.pilots.registerSponsor(company, "Syarikat Tenaga Digital Berhad", sender=office)
    receipt = reg.pilots.propose(
        "Land title registry pilot", "ipfs://pilots/land-titles", b"\x01" * 32, sender=company
    )
    pilot_id = receipt.event("PilotProposed").pilotId
    say(f"pilot #{pilot_id} proposed by {company.address}")
    reg.pilots.approve(pilot_id, sender=office)
    say("approved by the programme office")
    reg.pilots.activate(pilot_id, sender=company)
    say(f"activated by the company; status {PilotStatus(status_of(reg, pilot_id)).name}")
    for n, evidence in enumerate(["integration test report", "security audit"], start=1):
        reg.pilots.reportMilestone(
            pilot_id, _hash(evidence), f"ipfs://pilots/1/milestone-{n}", sender=company
        )
        say(f"milestone {n} reported with the hash of its evidence ({evidence})")

    step("Server-integrity checkpoints: the pilot's log directory, hashed and anchored in a chain")
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(tmp)
        roots = []
        for day in range(1, 4):
            (logs / f"day-{day}.log").write_text(f"day {day}: 1,204 title transfers processed\n")
            checkpoint = hash_directory(logs)
            receipt = anchor_checkpoint(
                reg.pilots, pilot_id, checkpoint.root, f"ipfs://ckpt/{day}", sender=company
            )
            roots.append(checkpoint.root)
            files = len(checkpoint.manifest)
            say(
                f"checkpoint {day}: {files} file(s), root {short(checkpoint.root)}, "
                f"block {receipt.block_number}"
            )

        step("Someone edits yesterday's log and tries to anchor a rewritten history")
        (logs / "day-2.log").write_text("day 2: 0 title transfers processed\n")
        tampered = hash_directory(logs)
        status = was_anchored(reg.pilots, pilot_id, tampered.root)
        say(f"was the edited state ever anchored? {'yes' if status.anchored else 'no'}")
        seq, _ = next_checkpoint(reg.pilots, pilot_id)
        say(f"forged checkpoint #{seq} claiming to follow day 1 (skipping the real days 2 and 3):")
        try:
            reg.pilots.anchorCheckpoint(
                pilot_id, seq, tampered.root, roots[0], "ipfs://forged", sender=company
            )
        except Reverted as exc:
            say(f"[red]refused[/]: {exc}")
        say(
            "the log is append-only: each checkpoint must carry seq = last + 1 "
            "and prevRoot = the last root"
        )
        original = was_anchored(reg.pilots, pilot_id, roots[1])
        say(f"the genuine day-2 state is checkpoint #{original.seq}, anchored {when(original.at)}")

    reg.pilots.complete(pilot_id, sender=company)
    say(f"pilot #{pilot_id} completed; status {PilotStatus(status_of(reg, pilot_id)).name}")


def when(timestamp: int) -> str:
    return datetime.fromtimestamp(int(timestamp), tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def status_of(reg, pilot_id: int) -> int:
    return int(reg.pilots.pilot(pilot_id).status)


def _hash(text: str) -> bytes:
    from daftar.util.hashing import keccak256

    return keccak256(text.encode())


if __name__ == "__main__":
    try:
        sys.exit(main())
    except DaftarError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        sys.exit(exc.exit_code)
