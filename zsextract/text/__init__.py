"""Reading an article: bytes and files (``reading``), HTML pages (``html``), script
conversion (``script``) and cleaning with an offset map back to the raw text (``clean``)."""
