"""compliance: groups in messengers run by the institution's Порядок, proven on paper."""

__version__ = "0.1.0"
