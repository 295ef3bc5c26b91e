"""The BPJS client: signature, decryption against an independent encryption, lz-string vectors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from shared.bpjs import client
from shared.bpjs.lzstring import CorruptData, decompress_from_encoded_uri_component
from shared.outbox import Fail, Retry
from tests.fake_bpjs import CONS_ID, SECRET, USER_KEY, encrypt, fake_bpjs
from tests.lz_compress import compress_to_encoded_uri_component

# lz-string's own outputs (pieroxy/lz-string, compressToEncodedURIComponent).
VECTORS = {"hello": "BYUwNmD2Q", "Hello, world!": "BIUwNmD2A0AEDukBOYAmBCIA"}


@pytest.mark.parametrize(("text", "packed"), VECTORS.items())
def test_lz_string_matches_the_published_vectors(text, packed):
    assert compress_to_encoded_uri_component(text) == packed
    assert decompress_from_encoded_uri_component(packed) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "a" * 5000,
        json.dumps([{"namapoli": "Penyakit Dalam", "kodepoli": "INT", "hari": 1}] * 40),
        "Poli Anak — dr. Siti, Sp.A 😀 日本語 ééé",
    ],
)
def test_lz_string_round_trips(text):
    assert decompress_from_encoded_uri_component(compress_to_encoded_uri_component(text)) == text


def test_garbage_is_reported_not_guessed():
    with pytest.raises(CorruptData):
        decompress_from_encoded_uri_component("%%%")


def test_the_signature_is_hmac_sha256_of_cons_id_and_timestamp():
    expected = base64.b64encode(
        hmac.new(b"secret", b"1000&1700000000", hashlib.sha256).digest()
    ).decode()
    assert client.signature("1000", "secret", "1700000000") == expected


def test_a_response_encrypted_as_bpjs_does_is_read_back():
    data = {"list": [{"kodedokter": 1001, "namadokter": "dr. Uji"}]}
    cipher = encrypt(json.dumps(data), "1700000000")
    assert json.loads(client.decrypt(cipher, CONS_ID, SECRET, "1700000000")) == data
    with pytest.raises(CorruptData):  # another timestamp: another key
        client.decrypt(cipher, CONS_ID, SECRET, "1700000001")


def _credentials(url: str, secret: str = SECRET) -> client.Credentials:
    return client.Credentials(cons_id=CONS_ID, secret=secret, user_key=USER_KEY, base_url=url)


def test_a_signed_call_gets_its_answer_decrypted_over_http():
    with fake_bpjs() as fake:
        fake.schedules["INT/2026-11-23"] = [{"kodedokter": 1001, "jadwal": "08:00 - 12:00"}]
        answer = client.call(
            _credentials(fake.url), "GET", "jadwaldokter/kodepoli/INT/tanggal/2026-11-23"
        )
        assert answer.code == 200
        assert answer.response == [{"kodedokter": 1001, "jadwal": "08:00 - 12:00"}]


def test_a_wrong_signature_is_refused_with_bpjs_message():
    with fake_bpjs() as fake, pytest.raises(Fail, match="Signature tidak valid"):
        client.call(_credentials(fake.url, "wrong"), "POST", "antrean/batal", {"kodebooking": "X"})


def test_an_outage_is_retried_and_a_network_error_too():
    with fake_bpjs(outage=1) as fake, pytest.raises(Retry):
        client.call(_credentials(fake.url), "POST", "antrean/batal", {"kodebooking": "X"})
    with pytest.raises(Retry):
        client.call(_credentials("http://127.0.0.1:9/"), "POST", "antrean/batal", {})


def test_a_card_number_in_bpjs_message_is_masked():
    assert client.scrub("Peserta 0001234567890 tidak aktif") == "Peserta [nomor] tidak aktif"
