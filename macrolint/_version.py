"""The version of macrolint, in a module of its own: every layer may read it, and it reads nothing."""
__version__ = "0.2.0"
