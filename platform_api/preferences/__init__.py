"""The caller's personal settings: language, theme, e-mail choices, default model parameters."""
