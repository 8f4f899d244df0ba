"""What an uploaded file is, by its first bytes: the content type a browser declares is the
client's word, not the file's."""

from __future__ import annotations

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff(file) -> str | None:
    """The content type the file's bytes show (PDF, JPEG, PNG), or None. Reads the first
    bytes and puts the file back where it was."""
    position = file.tell()
    try:
        file.seek(0)
        head = file.read(16)
    finally:
        file.seek(position)
    return next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)
