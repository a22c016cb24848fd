"""Update builders of the fake: messages, callback queries and inline queries shaped as the Bot API sends them."""

from __future__ import annotations

import time

from fakes.telegram.wire import Json


def user_json(user_id: int) -> Json:
    """A human user as Telegram describes them."""
    return {"id": user_id, "is_bot": False, "first_name": f"Pilot {user_id}", "username": f"pilot{user_id}"}


def chat_json(chat_id: int, chat_type: str, user_id: int) -> Json:
    """A private chat, group or supergroup."""
    chat: Json = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = f"user{user_id}"
    else:
        chat["title"] = f"chat {chat_id}"
    return chat


def message_json(message_id: int, chat: Json, user_id: int, text: str, reply_to: Json | None = None) -> Json:
    """A user's text message; a leading "/command" gets a bot_command entity at offset 0."""
    message: Json = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat,
        "from": user_json(user_id),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split(maxsplit=1)[0])}]
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return message


def callback_json(query_id: str, user_id: int, message: Json, data: str) -> Json:
    """A press on an inline keyboard button of a message the bot sent."""
    return {
        "id": query_id,
        "from": user_json(user_id),
        "message": message,
        "chat_instance": f"ci{message['chat']['id']}",
        "data": data,
    }


def inline_query_json(query_id: str, user_id: int, query: str, chat_type: str = "sender") -> Json:
    """What a user typed after @bot in any chat."""
    return {"id": query_id, "from": user_json(user_id), "query": query, "offset": "", "chat_type": chat_type}


def document_message_json(
    message_id: int, chat: Json, user_id: int, document: Json, caption: str | None, reply_to: Json | None = None
) -> Json:
    """A user's file (a document), with an optional caption; a leading "/command" in it gets a bot_command
    caption entity."""
    message: Json = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": user_json(user_id)}
    message["document"] = document
    if caption:
        message["caption"] = caption
        if caption.startswith("/"):
            length = len(caption.split(maxsplit=1)[0])
            message["caption_entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    return message
