"""Corpus mode: align a whole archive of document pairs into one translation memory.

``manifest`` finds the pairs, ``job`` aligns one pair (in any worker), ``parts``
keeps each finished pair on disk so a rerun resumes, ``engines`` runs the jobs
(in-process, local worker processes or a Dask cluster), ``assemble`` writes the
TMX, JSONL and report from the parts, and ``runner`` ties them together.
"""
