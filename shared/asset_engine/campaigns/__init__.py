"""Campaign planning: campaigns and their status lifecycle."""
