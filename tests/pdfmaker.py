"""Write small PDFs with Chinese text for the reader tests (no font file needed).

The text uses the standard CJK font STSong-Light with the UniGB-UCS2-H
encoding, which every PDF reader knows without embedding; every character
is 1 em wide, so a line of N characters is N × size points long.
"""

from __future__ import annotations

_FONT = ("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
         "/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
         "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /DW 1000 "
         "/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 4 "
         "/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
         "/StemV 93 >> >>] >>")


def wrap(paragraphs: list[str], width: int) -> list[tuple[int, str]]:
    """Lines of at most ``width`` characters; each paragraph's first line is indented 2 characters."""
    lines = []
    for p in paragraphs:
        first, k = True, 0
        while k < len(p):
            n = width - 2 if first else width
            lines.append((2 if first else 0, p[k:k + n]))
            k += n
            first = False
    return lines


def table_ops(rows: list[list[str]], widths: list[int], top: float, size: int = 10) -> list[str]:
    """Drawing operators for a ruled table: each cell a box, its text on one line inside."""
    ops, y = [], top
    row_h = size * 2
    for row in rows:
        x = 20
        for text, w in zip(row, widths):
            ops.append(f"{x} {y - row_h} {w * size} {row_h} re S")
            if text:
                ops.append(f"BT /F1 {size} Tf {x + 2} {y - row_h + size * 0.6} Td <{text.encode('utf-16-be').hex()}> Tj ET")
            x += w * size
        y -= row_h
    return ops


def make_pdf(pages: list[list[tuple[int, str]]], size: int = 10, height: int = 600,
             extra: list[list[str]] | None = None) -> bytes:
    """A PDF with one page per list of (indent in characters, text) lines (and ``extra`` operators)."""
    objs: list[str] = []

    def add(obj: str) -> int:
        objs.append(obj)
        return len(objs)

    font = add(_FONT)
    pages_id = len(objs) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        ops, y = [], height - 40
        for indent, text in lines:
            ops.append(f"BT /F1 {size} Tf {20 + indent * size} {y} Td <{text.encode('utf-16-be').hex()}> Tj ET")
            y -= size * 1.5
        ops += (extra or [[]] * len(pages))[len(kids)]
        stream = "\n".join(ops)
        content = add(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {60 * size} {height}] "
                        f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"))
    add(f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>")
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
