"""The coordinators' and curators' panel: a Telegram Mini App served by the bot's web server."""
