"""Outside AI providers and their offline stand-ins, chosen by settings."""
