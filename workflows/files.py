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


EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def named_for(name: str, kind: str) -> str:
    """A file's name with the extension of what its bytes are (`kind`, from `sniff`): a PNG
    sent as `x.php`, `x.html` or `x.svg` is kept and served as `x.png`. The stem keeps
    letters, digits (any script), spaces, dots inside, - and _; nothing else of the path."""
    stem = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = "".join(ch for ch in stem if ch.isalnum() or ch in " -_.").strip(" .")[:80]
    return f"{stem or '附件'}{EXTENSIONS[kind]}"
