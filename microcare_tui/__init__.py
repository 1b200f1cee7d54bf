"""microcare: a keyboard-driven offline app for growing a local market of care micro-providers."""

__version__ = "0.1.0"
