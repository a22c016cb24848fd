"""Which account a character sign-in lands in, and which accounts are merged into it."""

from __future__ import annotations

from core.accounts.linking import LinkPlan, plan_link


def test_a_character_already_held_keeps_its_account_and_absorbs_the_others():
    assert plan_link(owner_account=1, owner_changed=False, browser_account=2, chat_account=3) == LinkPlan(
        1, (2, 3), False
    )


def test_a_new_character_goes_to_the_signed_in_browser_then_to_the_chat_identity():
    assert plan_link(None, False, browser_account=2, chat_account=3) == LinkPlan(2, (3,), False)
    assert plan_link(None, False, browser_account=None, chat_account=3) == LinkPlan(3, (), False)
    assert plan_link(None, False, None, None) == LinkPlan(None, (), False)
    assert plan_link(None, False, 4, 4) == LinkPlan(4, (), False)


def test_a_sold_character_leaves_its_old_account_which_is_never_merged():
    assert plan_link(owner_account=1, owner_changed=True, browser_account=None, chat_account=3) == LinkPlan(3, (), True)
    assert plan_link(1, True, None, None) == LinkPlan(None, (), True)
