"""Limits on what the readers accept, so that one upload cannot exhaust the server.

A real district list is small: the largest we have seen is a 40-page PDF or a 300 KB Word file with a
few hundred table rows. The limits sit one or two orders of magnitude above that, low enough that a
hostile or broken file is refused quickly and with a clear message (`ParseError` naming the limit).
See docs/parsing.md for the reasoning behind each number.
"""

from __future__ import annotations

MB = 1024 * 1024

#: Largest file accepted, checked on the size before the content is read (a 500 MB upload is refused
#: without loading it). Scanned PDFs with images are the heaviest real lists, at a few MB.
MAX_FILE_BYTES = 50 * MB

#: Total uncompressed size of all members of a .docx/.xlsx (zip) container. Office XML compresses
#: 5-20x and embedded pictures hardly at all, so a real file under the size limit stays well under this.
MAX_ZIP_UNCOMPRESSED_BYTES = 150 * MB

#: Largest XML part (document.xml, a worksheet) of such a container. The XML is parsed into memory
#: at about ten times its size; a 1,000-item list's document.xml is 3-4 MB.
MAX_XML_PART_BYTES = 30 * MB

#: Largest compression ratio allowed for a zip member bigger than `ZIP_RATIO_MIN_BYTES`; zip bombs
#: reach 1000x and more, office XML rarely exceeds 30x.
MAX_ZIP_RATIO = 200
ZIP_RATIO_MIN_BYTES = 1 * MB

#: Members in a zip container (a docx has ~15, an xlsx with images a few hundred).
MAX_ZIP_MEMBERS = 5000

#: Table cells read from one document (all tables/sheets together). 1,000 items x 10 columns is 10,000.
MAX_CELLS = 250_000

#: PDF pages read.
MAX_PAGES = 500

#: Characters of text in one document after extraction (a 40-page list has ~60,000).
MAX_TEXT_CHARS = 5_000_000

#: Seconds LibreOffice may take to convert a .doc/.wps/.et file.
SOFFICE_TIMEOUT_SECONDS = 90

#: Largest rowspan/colspan honoured in an HTML table (larger values are clamped).
MAX_HTML_SPAN = 1000
