"""SM4-CBC + HMAC-SM3 envelopes for provider credentials (encrypt-then-MAC).

An envelope is the text ``v1.<key id>.<iv>.<ciphertext>.<mac>`` (URL-safe base64
without padding). The MAC covers the version, the key id, the IV, the ciphertext and
the associated data (which tenant and which row the secret belongs to), so a
ciphertext copied to another row or tenant fails verification like a tampered one.
The MAC is checked in constant time before anything is decrypted, and every failure
raises the same error, so a caller learns nothing about why.

The master keys live in settings (the environment), never in the database. Each
master key yields an SM4 key and a MAC key (domain-separated HMAC-SM3) and a key id
(a fingerprint); decryption finds the key by id, so rotation is: make the new key
current, keep the old one as previous, re-wrap every envelope, drop the old key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Iterable

from gmssl import sm3, sm4

from platform_core.settings import Settings

VERSION = "v1"
BLOCK = 16
SM4_KEY_BYTES = 16
MAC_BYTES = 32
_KEY_ID = re.compile(r"[0-9a-f]{8}")
# gmssl's own PKCS7 unpadding checks nothing; any mode other than PKCS7/ZERO makes
# crypt_ecb a bare block transform, and the padding is done (and checked) here.
_RAW_BLOCKS = -1


class CredentialError(Exception):
    """A credential envelope could not be produced or opened."""


class EnvelopeInvalid(CredentialError):
    """Tampered, truncated, moved to another row, or under an unknown key: all look alike."""

    def __init__(self) -> None:
        super().__init__("the stored credentials failed verification")


def _hmac_sm3_gmssl(key: bytes, message: bytes) -> bytes:
    # RFC 2104 over gmssl's SM3, for builds of OpenSSL without SM3.
    block = 64
    if len(key) > block:
        key = bytes.fromhex(sm3.sm3_hash(list(key)))
    key = key.ljust(block, b"\0")
    inner = bytes.fromhex(sm3.sm3_hash(list(bytes(k ^ 0x36 for k in key) + message)))
    return bytes.fromhex(sm3.sm3_hash(list(bytes(k ^ 0x5C for k in key) + inner)))


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    """HMAC-SM3 (OpenSSL's SM3 when present: gmssl's pure-Python SM3 is ~100x slower)."""
    if "sm3" in hashlib.algorithms_available:
        return hmac.new(key, message, "sm3").digest()
    return _hmac_sm3_gmssl(key, message)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise EnvelopeInvalid() from None
    # Unused low bits of the last character decode to the same bytes: accept only the
    # canonical spelling, so no change to the stored text goes unnoticed.
    if _b64(data) != text:
        raise EnvelopeInvalid()
    return data


def _framed(*parts: bytes) -> bytes:
    # Length-prefixed, so no two different field tuples give the same MAC input.
    return b"".join(len(p).to_bytes(4, "big") + p for p in parts)


def _pad(data: bytes) -> bytes:
    n = BLOCK - len(data) % BLOCK
    return data + bytes([n]) * n


def _unpad(data: bytes) -> bytes:
    if not data or len(data) % BLOCK:
        raise EnvelopeInvalid()
    n = data[-1]
    if not 1 <= n <= BLOCK or not hmac.compare_digest(data[-n:], bytes([n]) * n):
        raise EnvelopeInvalid()
    return data[:-n]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


class Sm4Cbc:
    """SM4-CBC with PKCS7 padding over gmssl's block transform, unpadding checked here."""

    def __init__(self, key: bytes) -> None:
        if len(key) != SM4_KEY_BYTES:
            raise ValueError(f"an SM4 key is {SM4_KEY_BYTES} bytes")
        self._encryptor = sm4.CryptSM4(padding_mode=_RAW_BLOCKS)
        self._encryptor.set_key(key, sm4.SM4_ENCRYPT)
        self._decryptor = sm4.CryptSM4(padding_mode=_RAW_BLOCKS)
        self._decryptor.set_key(key, sm4.SM4_DECRYPT)

    def encrypt(self, iv: bytes, plaintext: bytes) -> bytes:
        """Pad and encrypt ``plaintext`` chained from ``iv``."""
        out, previous = [], iv
        data = _pad(plaintext)
        for i in range(0, len(data), BLOCK):
            previous = self._encryptor.crypt_ecb(_xor(data[i : i + BLOCK], previous))
            out.append(previous)
        return b"".join(out)

    def decrypt(self, iv: bytes, ciphertext: bytes) -> bytes:
        """Decrypt and strip the padding; a malformed padding is EnvelopeInvalid."""
        if not ciphertext or len(ciphertext) % BLOCK:
            raise EnvelopeInvalid()
        out, previous = [], iv
        for i in range(0, len(ciphertext), BLOCK):
            block = ciphertext[i : i + BLOCK]
            out.append(_xor(self._decryptor.crypt_ecb(block), previous))
            previous = block
        return _unpad(b"".join(out))


class MasterKey:
    """One master key: its derived SM4 and MAC keys and its public key id."""

    def __init__(self, material: bytes) -> None:
        if len(material) < SM4_KEY_BYTES:
            raise ValueError(f"a master key needs at least {SM4_KEY_BYTES} bytes")
        # Separate keys for separate jobs, all derived from the one configured secret.
        self.key_id = hmac_sm3(material, b"agentpaas/credentials/key-id").hex()[:8]
        self._mac_key = hmac_sm3(material, b"agentpaas/credentials/hmac-sm3")
        self.cipher = Sm4Cbc(hmac_sm3(material, b"agentpaas/credentials/sm4-cbc")[:SM4_KEY_BYTES])

    @classmethod
    def from_hex(cls, text: str) -> MasterKey:
        """A key from its hex form (``AGENTPAAS_MASTER_KEY``)."""
        try:
            return cls(bytes.fromhex(text.strip()))
        except ValueError as exc:
            raise ValueError(f"master key is not valid hex of >= 16 bytes: {exc}") from None

    def __repr__(self) -> str:
        return f"MasterKey(key_id={self.key_id!r})"  # never the key material

    def mac(self, message: bytes) -> bytes:
        """HMAC-SM3 of ``message`` under this key's MAC key."""
        return hmac_sm3(self._mac_key, message)


class KeyRing:
    """The current master key (used to encrypt) and previous ones (still able to decrypt)."""

    def __init__(self, current: MasterKey, previous: Iterable[MasterKey] = ()) -> None:
        self.current = current
        self._keys = {k.key_id: k for k in previous}
        self._keys[current.key_id] = current

    @classmethod
    def from_hex(cls, current: str, previous: Iterable[str] = ()) -> KeyRing:
        """A ring from hex keys; blank entries are ignored."""
        return cls(
            MasterKey.from_hex(current), [MasterKey.from_hex(k) for k in previous if k.strip()]
        )

    def __repr__(self) -> str:
        return f"KeyRing(current={self.current.key_id!r}, keys={sorted(self._keys)!r})"

    def encrypt(self, plaintext: str, *, associated_data: bytes) -> str:
        """Seal ``plaintext`` for the row named by ``associated_data`` (fresh random IV)."""
        key = self.current
        iv = os.urandom(BLOCK)
        ciphertext = key.cipher.encrypt(iv, plaintext.encode("utf-8"))
        tag = key.mac(
            _framed(VERSION.encode(), key.key_id.encode(), iv, ciphertext, associated_data)
        )
        return ".".join((VERSION, key.key_id, _b64(iv), _b64(ciphertext), _b64(tag)))

    def decrypt(self, envelope: str, *, associated_data: bytes) -> str:
        """Open an envelope: verify the MAC first, then decrypt; any failure is EnvelopeInvalid."""
        parts = envelope.split(".")
        if len(parts) != 5 or parts[0] != VERSION or not _KEY_ID.fullmatch(parts[1]):
            raise EnvelopeInvalid()
        key = self._keys.get(parts[1])
        if key is None:
            raise EnvelopeInvalid()
        iv, ciphertext, tag = _unb64(parts[2]), _unb64(parts[3]), _unb64(parts[4])
        if len(iv) != BLOCK or len(tag) != MAC_BYTES:
            raise EnvelopeInvalid()
        expected = key.mac(
            _framed(VERSION.encode(), key.key_id.encode(), iv, ciphertext, associated_data)
        )
        if not hmac.compare_digest(expected, tag):
            raise EnvelopeInvalid()
        try:
            return key.cipher.decrypt(iv, ciphertext).decode("utf-8")
        except UnicodeDecodeError:
            raise EnvelopeInvalid() from None

    def open_credentials(self, envelope: str, *, tenant_id: str, config_id: int) -> str:
        """The secret of a ServiceConfig row (what the worker hands the ``llm`` activity)."""
        return self.decrypt(
            envelope, associated_data=credentials_associated_data(tenant_id, config_id)
        )

    def key_id_of(self, envelope: str) -> str:
        """The key id an envelope names (not verified)."""
        return envelope.split(".", 2)[1] if envelope.count(".") == 4 else ""

    def needs_rewrap(self, envelope: str) -> bool:
        """True when the envelope is not under the current key."""
        return self.key_id_of(envelope) != self.current.key_id

    def rewrap(self, envelope: str, *, associated_data: bytes) -> str:
        """The same secret sealed again under the current key."""
        return self.encrypt(
            self.decrypt(envelope, associated_data=associated_data),
            associated_data=associated_data,
        )


def credentials_associated_data(tenant_id: object, config_id: int) -> bytes:
    """What binds a ServiceConfig's credentials to their row: table, tenant and row id."""
    return f"service_configs/{tenant_id}/{config_id}".encode()


def credentials_hint(secret: str) -> str:
    """A masked hint that identifies a key to its owner without revealing it."""
    if len(secret) >= 16:
        return f"{secret[:3]}…{secret[-4:]}"
    return "…" + "*" * 4


def key_ring_from_settings(settings: Settings) -> KeyRing:
    """The ring of ``AGENTPAAS_MASTER_KEY`` (current) and ``AGENTPAAS_PREVIOUS_MASTER_KEYS``."""
    previous = settings.previous_master_keys.get_secret_value().split(",")
    return KeyRing.from_hex(settings.master_key.get_secret_value(), previous)
