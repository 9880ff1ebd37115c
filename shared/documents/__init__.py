"""Documents the services hand to people (reports, agreements): one model of blocks, built once per document
by a pure builder, and one renderer per format (PDF, DOCX) that draws any such document the same way."""
