"""Page blueprints: home, documents, maps, embeds (one module each)."""
