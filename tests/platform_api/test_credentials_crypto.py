"""SM4-CBC + HMAC-SM3 credential envelopes: round trip, tamper and swap detection, IVs."""

from __future__ import annotations

import os
import uuid

import pytest
from gmssl import sm4

from platform_core.crypto import (
    EnvelopeInvalid,
    KeyRing,
    MasterKey,
    Sm4Cbc,
    _hmac_sm3_gmssl,
    credentials_associated_data,
    credentials_hint,
    hmac_sm3,
    key_ring_from_settings,
)

KEY_A = "00112233445566778899aabbccddeeff"
KEY_B = "ffeeddccbbaa99887766554433221100"
SECRET = "sk-proj-" + "Zx9" * 12
TENANT = uuid.UUID("11111111-2222-3333-4444-555555555555")


def _ad(row: int, tenant: uuid.UUID = TENANT) -> bytes:
    return credentials_associated_data(tenant, row)


def test_sm4_matches_the_standard_vector_and_gmssl_cbc() -> None:
    # GB/T 32907-2016 appendix A: one block under the example key.
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    cipher = Sm4Cbc(key)
    sealed = cipher.encrypt(bytes(16), key)  # CBC from a zero IV: first block = ECB
    assert sealed[:16].hex() == "681edf34d206965e86b3e94f536e4246"
    assert len(sealed) == 32  # a full block of padding follows a block-aligned input
    reference = sm4.CryptSM4()
    for size in (0, 1, 15, 16, 17, 64, 100):
        iv, data = os.urandom(16), os.urandom(size)
        reference.set_key(key, sm4.SM4_ENCRYPT)
        expected = reference.crypt_cbc(iv, data)
        assert cipher.encrypt(iv, data) == expected
        assert cipher.decrypt(iv, expected) == data


def test_hmac_sm3_agrees_with_the_pure_gmssl_fallback() -> None:
    for key_size, size in ((16, 0), (32, 10), (64, 100), (100, 1000)):
        key, message = os.urandom(key_size), os.urandom(size)
        assert hmac_sm3(key, message) == _hmac_sm3_gmssl(key, message)
        assert len(hmac_sm3(key, message)) == 32


def test_round_trip_and_envelope_shape() -> None:
    ring = KeyRing.from_hex(KEY_A)
    for secret in (SECRET, "", "x", "密钥-sk-ünïcødé", "k" * 500):
        envelope = ring.encrypt(secret, associated_data=_ad(7))
        assert secret == ring.decrypt(envelope, associated_data=_ad(7))
        version, key_id, *_ = envelope.split(".")
        assert (version, key_id) == ("v1", ring.current.key_id)
        if len(secret) > 8:
            assert secret not in envelope
    assert KEY_A not in repr(ring) and KEY_A not in repr(ring.current)


def _bit_flips(text: str) -> list[str]:
    raw = text.encode("ascii")
    flipped = []
    for index in range(len(raw)):
        for bit in range(8):
            changed = bytearray(raw)
            changed[index] ^= 1 << bit
            flipped.append(changed.decode("latin-1"))
    return flipped


def test_every_single_bit_flip_of_the_stored_text_is_detected() -> None:
    ring = KeyRing.from_hex(KEY_A)
    envelope = ring.encrypt(SECRET, associated_data=_ad(1))
    flips = _bit_flips(envelope)
    assert len(flips) == 8 * len(envelope)
    parts = envelope.split(".")
    # Additions and truncations too: a newline, a space, a dropped or doubled character.
    flips += [envelope + "\n", " " + envelope, envelope[:-1], envelope + envelope[-1]]
    flips += [".".join([*parts[:1], parts[1] + "\n", *parts[2:]])]
    for tampered in flips:
        with pytest.raises(EnvelopeInvalid):
            ring.decrypt(tampered, associated_data=_ad(1))


def test_every_single_bit_flip_of_the_binary_fields_is_detected() -> None:
    # Flip bits in the decoded IV, ciphertext and MAC and re-encode canonically, so
    # it is the MAC (not the text format) that has to catch them.
    import base64

    ring = KeyRing.from_hex(KEY_A)
    envelope = ring.encrypt(SECRET, associated_data=_ad(1))
    parts = envelope.split(".")
    for field in (2, 3, 4):
        data = base64.urlsafe_b64decode(parts[field] + "=" * (-len(parts[field]) % 4))
        for index in range(len(data)):
            for bit in range(8):
                changed = bytearray(data)
                changed[index] ^= 1 << bit
                encoded = base64.urlsafe_b64encode(bytes(changed)).rstrip(b"=").decode()
                tampered = ".".join([*parts[:field], encoded, *parts[field + 1 :]])
                with pytest.raises(EnvelopeInvalid):
                    ring.decrypt(tampered, associated_data=_ad(1))


def test_swapping_ciphertexts_between_rows_or_tenants_is_detected() -> None:
    ring = KeyRing.from_hex(KEY_A)
    other_tenant = uuid.uuid4()
    row_1 = ring.encrypt("key of row one", associated_data=_ad(1))
    row_2 = ring.encrypt("key of row two", associated_data=_ad(2))
    other = ring.encrypt("key of another tenant", associated_data=_ad(1, other_tenant))
    with pytest.raises(EnvelopeInvalid):
        ring.decrypt(row_1, associated_data=_ad(2))
    with pytest.raises(EnvelopeInvalid):
        ring.decrypt(row_2, associated_data=_ad(1))
    with pytest.raises(EnvelopeInvalid):
        ring.decrypt(other, associated_data=_ad(1))
    with pytest.raises(EnvelopeInvalid):
        ring.decrypt(row_1, associated_data=_ad(1, other_tenant))
    # Splicing the ciphertext of one row into the envelope of another fails too.
    spliced = ".".join([*row_1.split(".")[:3], row_2.split(".")[3], row_1.split(".")[4]])
    with pytest.raises(EnvelopeInvalid):
        ring.decrypt(spliced, associated_data=_ad(1))


def test_no_iv_repeats_across_100000_encryptions() -> None:
    ring = KeyRing.from_hex(KEY_A)
    ivs = {ring.encrypt("sk-test", associated_data=_ad(1)).split(".")[2] for _ in range(100_000)}
    assert len(ivs) == 100_000


def test_a_padding_oracle_is_not_reachable_and_bad_padding_is_refused() -> None:
    cipher = Sm4Cbc(bytes(16))
    iv = bytes(16)
    sealed = cipher.encrypt(iv, b"0123456789abcdefghij")  # two blocks
    last = bytearray(sealed)
    last[-17] ^= 0x01  # changes the final padding byte after decryption
    with pytest.raises(EnvelopeInvalid):
        cipher.decrypt(iv, bytes(last))
    with pytest.raises(EnvelopeInvalid):
        cipher.decrypt(iv, sealed[:-1])


def test_rotation_rewraps_under_the_new_key_and_drops_the_old() -> None:
    old_ring = KeyRing.from_hex(KEY_A)
    envelope = old_ring.encrypt(SECRET, associated_data=_ad(3))
    ring = KeyRing.from_hex(KEY_B, [KEY_A])
    assert ring.needs_rewrap(envelope)
    assert ring.decrypt(envelope, associated_data=_ad(3)) == SECRET
    rewrapped = ring.rewrap(envelope, associated_data=_ad(3))
    assert not ring.needs_rewrap(rewrapped)
    assert rewrapped.split(".")[1] == MasterKey.from_hex(KEY_B).key_id != envelope.split(".")[1]
    new_only = KeyRing.from_hex(KEY_B)
    assert new_only.decrypt(rewrapped, associated_data=_ad(3)) == SECRET
    with pytest.raises(EnvelopeInvalid):
        new_only.decrypt(envelope, associated_data=_ad(3))


def test_bad_master_keys_are_refused() -> None:
    for bad in ("", "00" * 15, "not hex at all!"):
        with pytest.raises(ValueError):
            KeyRing.from_hex(bad)


def test_hint_never_shows_the_key() -> None:
    assert credentials_hint(SECRET) == "sk-…9Zx9"
    assert credentials_hint("short") == "…****"
    assert SECRET not in credentials_hint(SECRET)


def test_settings_refuse_master_keys_that_are_not_16_byte_hex() -> None:
    from pydantic import SecretStr, ValidationError

    from platform_core.settings import Settings

    for current, previous in ((KEY_A[:-2], ""), ("not-hex", ""), (KEY_A, "00ff")):
        with pytest.raises(ValidationError):
            Settings(master_key=SecretStr(current), previous_master_keys=SecretStr(previous))
    ring = key_ring_from_settings(
        Settings(master_key=SecretStr(KEY_B), previous_master_keys=SecretStr(f" {KEY_A} ,"))
    )
    assert ring.current.key_id == MasterKey.from_hex(KEY_B).key_id
    sealed = KeyRing.from_hex(KEY_A).encrypt(SECRET, associated_data=_ad(9))
    assert ring.decrypt(sealed, associated_data=_ad(9)) == SECRET
