"""The Message Content intent: off by default, asked for only when set, required by answer channels."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.app import intents_for
from config.settings import describe
from tests.helpers import make_settings


def test_the_message_content_intent_is_off_by_default_and_asked_for_only_when_set(tmp_path: Path) -> None:
    default = make_settings(tmp_path)
    assert not default.message_content_intent and not intents_for(default).message_content
    assert intents_for(default).guild_messages and intents_for(default).guilds
    on = make_settings(tmp_path, message_content_intent=True)
    assert intents_for(on).message_content


def test_answer_channels_without_the_intent_is_one_clear_setting_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as error:
        make_settings(tmp_path, answer_channel_ids=[123])
    assert "ANSWER_CHANNEL_IDS needs MESSAGE_CONTENT_INTENT=true" in describe(error.value)
    assert make_settings(
        tmp_path, answer_channel_ids=[123], message_content_intent=True
    ).answer_channel_ids == [123]
