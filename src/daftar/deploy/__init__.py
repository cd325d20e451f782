"""Deploys: plans of named steps, a write-ahead journal, and `deployments/<network>/` records.

`daftar deploy [SCRIPT] --network sepolia` runs the plan the project's deploy script
defines (default `scripts/deploy.py`, see daftar.deploy.script) through the journaled
executor; a rerun after a crash resumes where it stopped, never deploying or granting twice.
"""

from daftar.deploy.journal import Journal
from daftar.deploy.plan import CallStep, DeployStep, Plan, Ref

__all__ = ["CallStep", "DeployStep", "Journal", "Plan", "Ref"]
