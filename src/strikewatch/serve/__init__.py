"""The web app and JSON API: `strikewatch serve`."""
