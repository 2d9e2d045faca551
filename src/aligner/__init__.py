"""aligner: a bilingual Korean–English aligned-text reader."""

__version__ = "0.1.0"
