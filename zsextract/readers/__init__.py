"""Readers of facts in cleaned text, shared by the rules backend and the grounding of
LLM answers: quantities, periods, places, timeline rules and evidence. They import no
backend."""
