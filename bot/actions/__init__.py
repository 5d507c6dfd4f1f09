"""Custom actions served by `rasa run actions --actions bot.actions`."""

from bot.actions.reply import ActionReply

__all__ = ["ActionReply"]
