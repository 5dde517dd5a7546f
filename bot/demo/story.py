"""The year's storyline: each scene as it begins (simulated time, English for the console,
Vietnamese for the transcript's timeline), paced by --speed so a person can follow it."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TextIO

# Seconds the console waits after announcing a scene, at --speed 1 (the default run
# takes about 20 s; CI passes a large --speed and does not wait at all).
SCENE_PAUSE = 0.5


@dataclass(frozen=True)
class Scene:
    when: datetime  # local time of the block
    en: str
    vi: str
    chats: tuple[int, ...] = ()  # where to look in the transcript
    automatic: bool = False  # the bot acting on its own (reminders, notices)


@dataclass
class Story:
    speed: float = 1.0
    out: TextIO | None = None
    scenes: list[Scene] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)  # (command, output)
    gaps: list[str] = field(default_factory=list)
    clock: Callable[[], datetime] | None = None

    def _print(self, line: str) -> None:
        stream = self.out if self.out is not None else sys.stdout
        print(line, file=stream, flush=True)

    async def scene(self, en: str, vi: str, *chats: int) -> None:
        """A new scene begins now; the console shows it and pauses for the reader."""
        when = self.now()
        self.scenes.append(Scene(when, en, vi, tuple(chats)))
        self._print(f"  {when:%d/%m/%Y %H:%M}  {en}")
        if self.speed > 0:
            await asyncio.sleep(SCENE_PAUSE / self.speed)

    def event(self, en: str, vi: str, *chats: int) -> None:
        """Something the bot did by itself (a reminder round); no pause."""
        when = self.now()
        self.scenes.append(Scene(when, en, vi, tuple(chats), automatic=True))
        self._print(f"  {when:%d/%m/%Y %H:%M}    ⏰ {en}")

    def shell(self, command: str, output: str) -> None:
        """A command the chair's technical helper ran, and what it printed."""
        self.console.append((command, output))

    def gap(self, text: str) -> None:
        self.gaps.append(text)
        self._print(f"  note: {text}")

    def now(self) -> datetime:
        assert self.clock is not None
        return self.clock()
