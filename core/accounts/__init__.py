"""Accounts: users, chat identities, linked EVE characters and the SSO facts they rely on."""
