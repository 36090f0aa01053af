"""Sources of posts: Telegram Desktop exports, the Telegram web preview, Telethon, X."""
