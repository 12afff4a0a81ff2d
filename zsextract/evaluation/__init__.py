"""Evaluation against gold files: scoring by the rules of GOLD.md, and the HTML view
of gold against prediction."""
