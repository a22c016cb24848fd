"""Which account a character sign-in lands in, and which account is merged into it."""

from __future__ import annotations

from core.accounts.linking import LinkPlan, plan_link


def test_a_character_already_held_keeps_its_account_and_absorbs_the_browsers():
    assert plan_link(owner_account=1, owner_changed=False, browser_account=2) == LinkPlan(1, (2,), False)
    assert plan_link(1, False, 1) == LinkPlan(1, (), False)
    assert plan_link(1, False, None) == LinkPlan(1, (), False)


def test_a_new_character_goes_to_the_signed_in_browser_or_a_new_account():
    assert plan_link(None, False, browser_account=2) == LinkPlan(2, (), False)
    assert plan_link(None, False, None) == LinkPlan(None, (), False)


def test_a_sold_character_leaves_its_old_account_which_is_never_merged():
    assert plan_link(owner_account=1, owner_changed=True, browser_account=3) == LinkPlan(3, (), True)
    assert plan_link(1, True, None) == LinkPlan(None, (), True)
