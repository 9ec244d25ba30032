"""Model providers and their service configs: CRUD, SM4-encrypted credentials, bindings."""
