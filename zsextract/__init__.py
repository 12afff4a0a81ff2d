"""zsextract"""
