"""Tests of the AI adapters: real anthropic/openai SDKs against the local fakes."""
