"""QR codes linking the paper board to the page: SVG for screens, PNG for PDFs."""

import io

import segno


def svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, title="二维码"
    )
    return buffer.getvalue()


def png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer
