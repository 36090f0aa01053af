"""The ids of a chat's messages as an export lists them, to find one given twice.

A channel's export can hold millions of messages, so the ids are kept in arrays (16 bytes
a message) rather than a dict. Telegram Desktop writes them in rising order, where no id
can repeat an earlier one; a set is built only when an export does otherwise.
"""

from __future__ import annotations

from array import array


class MessageIds:
    """Message ids seen so far, each with the number of its message in the export."""

    def __init__(self) -> None:
        self._ids, self._numbers = array("q"), array("q")
        self._seen: set[int] | None = None
        self._highest = 0

    def first(self, message_id: int, number: int) -> int | None:
        """The number of the message that already had `message_id`; None when none had,
        and then `message_id` is noted as message `number`'s."""
        if self._ids and message_id <= self._highest:
            if self._seen is None:
                self._seen = set(self._ids)
            if message_id in self._seen:
                return self._numbers[self._ids.index(message_id)]
        if self._seen is not None:
            self._seen.add(message_id)
        if not self._ids or message_id > self._highest:
            self._highest = message_id
        self._ids.append(message_id)
        self._numbers.append(number)
        return None
