"""A reportlab document that writes each page to the file as soon as the page ends.

reportlab keeps every page object and its content stream until ``save`` and then formats the
whole file as one bytes object: memory grows with the page count (40,000 household sheets are
40,000 pages). Here a finished page and its content stream are formatted, written and let go at
once; what stays is a stub per page (its object name, for the page tree) and the offset for the
cross-reference table. Objects that only exist at the end — fonts with their subsets, the page
tree, the catalogue, the "Trang x/y" forms — are written by :meth:`StreamingDocument.finish`
exactly as reportlab would write them.

Forward references: a page may use a form that is defined only at the end (the page number's
total). :meth:`reserve_form` gives such a form its object number before the page is written;
the form reportlab builds later is poured into that reserved object.
"""

from __future__ import annotations

import zlib
from typing import BinaryIO

from reportlab.pdfbase import pdfdoc


class _Written(pdfdoc.PDFObject):
    """What remains of a written object: its name, so references to it still resolve."""

    def __init__(self, name: str):
        self.__InternalName__ = name


def _deflated(page: pdfdoc.PDFPage) -> pdfdoc.PDFStream:
    stream = pdfdoc.PDFStream(content=zlib.compress(page.stream.encode("utf8")))
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    return stream


class StreamingDocument(pdfdoc.PDFDocument):
    """``PDFDocument`` writing pages to ``self.out`` as they come (see the module docstring).

    Made from a canvas's own document by :func:`stream_to`, so every setting the canvas gave it
    (compression, title, author, fonts) stays.
    """

    out: BinaryIO
    _offset: int
    _written: set[str]

    def _start(self, out: BinaryIO) -> None:
        self.out = out
        self._offset = 0
        self._written = set()
        if self.encrypt.info():
            raise ValueError("an encrypted PDF cannot be written page by page")
        self._emit(pdfdoc.PDFFile(self._pdfVersion).strings[0])

    def _emit(self, data: bytes) -> int:
        at = self._offset
        self.out.write(data)
        self._offset += len(data)
        return at

    def _write_object(self, name: str) -> None:
        obj = self.idToObject[name]
        self.idToOffset[name] = self._emit(pdfdoc.PDFIndirectObject(name, obj).format(self))
        self._written.add(name)
        self.idToObject[name] = _Written(name)

    def reserve_form(self, name: str) -> None:
        """Give the form ``name`` (defined later with beginForm/endForm) its object now."""
        internal = pdfdoc.xObjectName(name)
        if internal not in self.idToObject:
            self.Reference(pdfdoc.PDFFormXObject(0, 0, 0, 0), internal)

    def addForm(self, name, form):  # noqa: N802 (reportlab API)
        """A form reserved earlier takes the built form's content in place."""
        internal = pdfdoc.xObjectName(name)
        reserved = self.idToObject.get(internal)
        if isinstance(reserved, pdfdoc.PDFFormXObject) and reserved is not form:
            reserved.__dict__.update({k: v for k, v in form.__dict__.items() if k != "__InternalName__"})
            self.inObject = None
            return
        super().addForm(name, form)

    def addPage(self, page):  # noqa: N802 (reportlab API)
        """Add the finished page, then write it and its content stream and keep only a stub."""
        super().addPage(page)
        if page.stream is not None and page.Contents is None:
            page.Contents = _deflated(page)
            page.stream = None
        name = page.__InternalName__
        contents = self.Reference(page.Contents).name if page.Contents is not None else None
        self._write_object(name)
        if contents is not None:
            self._write_object(contents)
        self.Pages.pages[-1] = self.idToObject[name]

    def finish(self, canvas) -> None:
        """Write what is left (fonts, forms, page tree, catalogue), the cross-reference table and the trailer."""
        for fnt in self.delayedFonts:
            fnt.addObjects(self)
        self.info.invariant = self.invariant
        self.info.digest(self.signature)
        self.Reference(self.Catalog)
        self.Reference(self.info)
        self.Outlines.prepare(self, canvas)
        if self.Outlines.ready < 0:
            self.Catalog.Outlines = None
        counter = 0
        ids = []
        while True:
            counter += 1
            if counter not in self.numberToId:
                break
            name = self.numberToId[counter]
            if name not in self._written:
                self._write_object(name)
            ids.append(name)
        if counter - 1 != len(self.numberToId):
            raise ValueError("PDF object numbering is not contiguous")
        xref = pdfdoc.PDFCrossReferenceTable()
        xref.addsection(0, ids)
        at = self._emit(xref.format(self))
        trailer = pdfdoc.PDFTrailer(startxref=at, Size=len(self.numberToId) + 1, Root=self.Reference(self.Catalog),
                                    Info=self.Reference(self.info), ID=self.ID())
        self._emit(trailer.format(self))


def stream_to(doc: pdfdoc.PDFDocument, out: BinaryIO) -> StreamingDocument:
    """Turn a canvas's fresh document into a :class:`StreamingDocument` writing to ``out``."""
    if doc.idToObjectNumberAndVersion.keys() - {pdfdoc.BasicFonts}:
        raise ValueError("the document already holds objects; stream it before the first page")
    doc.__class__ = StreamingDocument
    doc._start(out)
    return doc
