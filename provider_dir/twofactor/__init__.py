"""Two-factor sign-in: TOTP from an authenticator app, with single-use recovery codes."""
