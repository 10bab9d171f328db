"""What the budget documents (the NISC summaries, the bureau decks) share: text extractions of PDFs read by
structure, never by line numbers.

* :mod:`.text` — decoding the file, markup, NFKC with a map back to the text as written, names of items;
* :mod:`.figures` — amounts (``2, 128. 6億円`` → exact yen), budget labels (``令和5年度 補正予算``), labels
  paired with figures, the load issues of figures and narrative text;
* :mod:`.facts` — key facts of a program page (``(事業主体)``, ``(補助率)``, ``(計画年度)`` …), parsed;
* :mod:`.basis` — the legal provisions a description page cites (grammar: :mod:`loaders.citations`), resolved;
* :mod:`.mapping` — the RDF the documents share: amounts, budget lines, key facts, legal-basis nodes.
"""
