"""Uploaded files are checked by content and size, and kept under generated names."""

from __future__ import annotations

import pytest

from provider_dir.documents import storage

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_a_pdf_and_a_png_are_stored_under_generated_names(tmp_path):
    pdf = storage.store(PDF, tmp_path)
    png = storage.store(PNG, tmp_path)
    assert (pdf.content_type, png.content_type) == ("application/pdf", "image/png")
    assert pdf.storage_name.endswith(".pdf") and pdf.storage_name != png.storage_name
    assert (tmp_path / pdf.storage_name).read_bytes() == PDF


def test_an_html_file_named_pdf_is_refused_by_its_content(tmp_path):
    with pytest.raises(storage.DocumentRejected, match="not a PDF, PNG or JPEG"):
        storage.store(b"<html><script>alert(1)</script></html>", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_six_megabyte_file_is_refused_with_its_size(tmp_path):
    with pytest.raises(storage.DocumentRejected, match="6.0 MB; the limit is 5 MB"):
        storage.store(PDF + b"0" * (6 * 1024 * 1024 - len(PDF)), tmp_path)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(storage.DocumentRejected, match="empty"):
        storage.check(b"")


@pytest.mark.parametrize("name", ["../secret.pdf", "a/b.pdf", ".hidden", ""])
def test_paths_outside_the_folder_are_never_opened(tmp_path, name):
    with pytest.raises(FileNotFoundError):
        storage.path_of(tmp_path, name)
