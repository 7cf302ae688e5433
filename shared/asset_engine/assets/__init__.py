"""Assets and their whole version history (edit, undo, redo)."""
