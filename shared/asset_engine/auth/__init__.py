"""Sign-in (Google, and the dev token), access tokens and the users table."""
