"""Create or update a block from its validated block file, in one transaction."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from bot.blockfile import BlockSpec, CovenantSpec, RemindersSpec
from bot.services.activities.setup_sync import sync_file_activities
from bot.services.awards.settings import settings_of as award_settings
from bot.services.clock import Clock
from bot.services.covenant.versions import sync_covenant_version
from bot.texts import Catalog, catalog
from storage import audit
from storage import blocks as blocks_repo
from storage.db import Database
from storage.tables import criteria, phases, units


@dataclass(frozen=True)
class SetupReport:
    block_id: int
    block_code: str
    created: bool
    changes: list[str] = field(default_factory=list)
    # The covenant's new version when the file's text changed it (also worded in
    # `changes`), for the command line to say in its own language.
    covenant_version: int | None = None
    superseded: int = 0


def _covenant(spec: CovenantSpec | None) -> dict[str, Any] | None:
    if spec is None:
        return None
    return {
        "title": spec.title,
        "preamble": spec.preamble,
        "commitments": list(spec.commitments),
        "sign_by": spec.sign_by.isoformat() if spec.sign_by else None,
    }


def _reminders(spec: RemindersSpec) -> dict[str, Any]:
    data = asdict(spec)
    data["before_report_due"] = list(spec.before_report_due)
    data["before_sign_by"] = list(spec.before_sign_by)
    data["at"] = spec.at.strftime("%H:%M")
    return data


def block_values(spec: BlockSpec) -> dict[str, Any]:
    return {
        "code": spec.code,
        "name": spec.name,
        "province": spec.province,
        "year": spec.year,
        "theme": spec.theme,
        "timezone": spec.timezone,
        "language": spec.language,
        "settings": {
            "vice_chair_rights": spec.vice_chair_rights,
            "late_reports": spec.late_reports,
            "phase_weights": {k: str(v) for k, v in spec.phase_weights.items()},
            "post_ranking": spec.post_ranking,
            "publish_self_scores": spec.publish_self_scores,
            "chair_digest": spec.chair_digest,
            "reminders": _reminders(spec.reminders),
            "covenant": _covenant(spec.covenant),
            # [ranking] grades as [name, share] pairs (bot.services.ranking.grades)
            "ranking": {"grades": [[n, str(v)] for n, v in spec.ranking.grades]},
            **award_settings(spec),
        },
    }


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _children(spec: BlockSpec) -> list[tuple[Any, list[dict[str, Any]]]]:
    return [
        (
            units,
            [
                {
                    "code": u.code,
                    "name": u.name,
                    "short_name": u.short_name,
                    "role": u.role,
                    "slogan": u.slogan,
                    "targets": {k: str(v) for k, v in u.targets.items()},
                }
                for u in spec.units
            ],
        ),
        (
            phases,
            [
                {
                    "code": p.code,
                    "name": p.name,
                    "start": p.start,
                    "end": p.end,
                    "theme": p.theme,
                    "report_due": p.report_due,
                }
                for p in spec.phases
            ],
        ),
        (
            criteria,
            [
                {
                    "code": c.code,
                    "group_name": c.group,
                    "title": c.title,
                    "kind": c.kind,
                    "measure": c.unit,
                    "target": c.target,
                    "max_points": c.max_points,
                    "bonus": c.bonus,
                    "penalty": c.penalty,
                }
                for c in spec.criteria
            ],
        ),
    ]


async def apply_block_spec(
    db: Database, spec: BlockSpec, clock: Clock, texts: Catalog | None = None
) -> SetupReport:
    """Write the block; running it twice with the same file changes nothing.

    `texts` words the notices of a covenant edited in the file (a new version); setup runs
    from the command line, outside the bot, so the bundled catalog is the default.
    """
    now = clock.now()
    async with db.transaction() as conn:
        block_id, created, block_changes = await blocks_repo.save_block(
            conn, block_values(spec), now
        )
        changes = [f"block.{name}" for name in block_changes]
        for table, wanted in _children(spec):
            for change, code, details in await blocks_repo.sync_children(
                conn, table, block_id, wanted, now=now
            ):
                if created:
                    continue  # a new block: listing every added row says nothing
                label = f"{table.name}.{code}: {change}"
                if details:
                    label += " (" + ", ".join(sorted(details)) + ")"
                changes.append(label)
        # [[activities]]: a new one starting in the past raises BlockFileError (rolled back).
        activity_changes = await sync_file_activities(conn, block_id, spec.activities, now)
        changes += [] if created else activity_changes
        # A covenant edited in the block file after publication becomes a new version
        # here: earlier signatures are superseded and every unit is asked to sign again.
        covenant_change = await sync_covenant_version(conn, block_id, now,
                                                       texts or catalog())
        if covenant_change is not None:
            changes.append(
                f"covenant: version {covenant_change.new.number} queued for every unit to "
                f"sign again (the running bot sends it within a minute); "
                f"{covenant_change.superseded} earlier signature(s) superseded"
            )
        if created or changes:
            await audit.record(
                conn,
                at=now,
                action="block.created" if created else "block.updated",
                block_id=block_id,
                subject=spec.code,
                after={"changes": changes},
            )
    return SetupReport(
        block_id=block_id, block_code=spec.code, created=created, changes=changes,
        covenant_version=covenant_change.new.number if covenant_change else None,
        superseded=covenant_change.superseded if covenant_change else 0,
    )
