"""The command menu per scope, derived from the registry: private chats get every command, groups the ones that make
sense there, group administrators also the managers' ones."""

from __future__ import annotations

import pytest

from bot.state import InteractionState
from core.commands.default import build_registry
from tests.bot.telegram.harness import running

pytestmark = pytest.mark.e2e
PRIVATE_ONLY = {"link", "characters", "unlink", "alert", "watch"}  # answers with the caller's own data


async def test_each_scope_gets_its_own_menu(interaction_state: InteractionState):
    async with running(build_registry(), state=interaction_state) as harness:
        menus = {scope: [c["command"] for c in menu] for scope, menu in harness.fake.api.scoped_commands.items()}
    private, groups, admins = menus["all_private_chats"], menus["all_group_chats"], menus["all_chat_administrators"]
    assert menus["default"] == private
    assert {"price", "history", "trade", "settings", "cancel"} | PRIVATE_ONLY <= set(private)
    assert {"price", "history", "trade", "appraise", "help", "cancel"} <= set(groups)
    assert not (PRIVATE_ONLY | {"settings"}) & set(groups)
    assert set(admins) == set(groups) | {"settings"}
