import codecs

import pytest

from newskit.decode import UndecodableError, decode_bytes, looks_binary
from newskit.scrape_text import read_scrape

TEXT = "Zoë Marchand reopened the café near the gare in São Tomé — “at last”, she said."


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_byte_order_marks(encoding: str):
    assert decode_bytes(TEXT.encode(encoding)).text == TEXT


def test_strict_utf8_first():
    assert decode_bytes(TEXT.encode("utf-8")) .encoding == "utf-8"


def test_latin1_text_without_declaration_is_read_as_cp1252_not_guessed():
    latin = "Le café de la gare a rouvert, dit Zoë.".encode("latin-1")
    decoded = decode_bytes(latin)
    assert decoded.text == "Le café de la gare a rouvert, dit Zoë."
    assert decoded.encoding == "cp1252"


def test_declared_charset_wins_over_cp1252():
    page = '<meta charset="koi8-r"><p>Привет, мир</p>'.encode("koi8-r")
    assert "Привет" in decode_bytes(page).text


def test_binary_detection():
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not looks_binary(TEXT.encode("utf-8"))
    assert not looks_binary(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"))


def test_read_scrape_reasons():
    assert read_scrape(b"", "text/html", None, None).reject_reason == "empty"
    assert read_scrape(b"  \n ", "text/plain", None, None).reject_reason == "empty"
    assert read_scrape(b"\x00\x01\x02" * 100, "text/html", None, None).reject_reason == "not_text"
    ok = read_scrape("<html><body><article><p>" .encode() + TEXT.encode() * 5 + b"</p></article></body></html>",
                     "text/html", None, None)
    assert ok.reject_reason is None and ok.extracted is not None


def test_undecodable_is_an_error_not_garbage():
    with pytest.raises(UndecodableError):
        # cp1252 leaves 0x81/0x8d/0x8f/0x90/0x9d undefined; with control bytes nothing decodes cleanly
        decode_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x01, 0x02, 0x03]) * 50)
