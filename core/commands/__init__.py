"""The chat commands: each module registers a family of commands that render the use cases for chat."""
