"""Deploys: plans of named steps, a write-ahead journal, and `deployments/<network>/` records.

`daftar deploy --network sepolia` (= `python scripts/deploy.py --network sepolia`) runs the
registry plan through the journaled executor; a rerun after a crash resumes where it
stopped, never deploying or granting twice.
"""

from daftar.deploy.journal import Journal
from daftar.deploy.plan import CallStep, DeployStep, Plan, Ref

__all__ = ["CallStep", "DeployStep", "Journal", "Plan", "Ref"]
