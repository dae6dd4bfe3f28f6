"""Channel behaviour without widgets (no Qt, no network): the phone call state machine
(:mod:`.phone`), email composing, sanitising and parsing (:mod:`.email`), and the chat
transcript model (:mod:`.chat`). Exceptions are documented in :mod:`.errors`."""
