import re

from django.test import override_settings

from accountability.feedback import receipts

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def test_a_code_is_16_symbols_of_an_unambiguous_32_symbol_alphabet_in_four_groups():
    assert len(receipts.ALPHABET) == 32
    assert not set("ILOU") & set(receipts.ALPHABET)
    for _ in range(50):
        code = receipts.code_for_token(receipts.new_token())
        assert CODE.match(code), code
        assert receipts.CODE_LENGTH * 5 >= 80


def test_codes_are_random_per_token_and_stable_for_the_same_token():
    tokens = [receipts.new_token() for _ in range(200)]
    codes = {receipts.code_for_token(t) for t in tokens}
    assert len(codes) == 200
    assert receipts.code_for_token(tokens[0]) == receipts.code_for_token(tokens[0])
    assert len({receipts.random_code() for _ in range(100)}) == 100


def test_typed_codes_are_normalised_case_dashes_spaces_and_look_alikes():
    assert receipts.normalise("7k3m q9tx-2hvd 4wpa") == "7K3MQ9TX2HVD4WPA"
    assert receipts.normalise("7K3M-Q9TX-2HVD-4WPA") == "7K3MQ9TX2HVD4WPA"
    assert receipts.normalise("0OIL-0000-0000-0000") == "0011000000000000"
    assert receipts.hash_code("7k3m q9tx 2hvd 4wpa") == receipts.hash_code("7K3M-Q9TX-2HVD-4WPA")


def test_malformed_input_cannot_be_a_code():
    for raw in [
        "",
        "short",
        "7K3M-Q9TX-2HVD-4WP",
        "7K3M-Q9TX-2HVD-4WPAX",
        "7K3M-Q9TX-2HVD-4WP!",
        "U" * 16,
        "x" * 5000,
        None,
    ]:
        assert receipts.normalise(raw) is None


def test_the_stored_hash_is_keyed_and_never_contains_the_code():
    code = "7K3M-Q9TX-2HVD-4WPA"
    stored = receipts.hash_code(code)
    assert len(stored) == 64
    assert "7K3M" not in stored.upper()
    with override_settings(FEEDBACK_RECEIPT_KEY="another-key-entirely"):
        assert receipts.hash_code(code) != stored


def test_malformed_lookups_never_match_and_matching_is_exact():
    stored = receipts.hash_code("7K3M-Q9TX-2HVD-4WPA")
    assert receipts.matches(receipts.lookup_hash("7k3m-q9tx-2hvd-4wpa"), stored)
    assert not receipts.matches(receipts.lookup_hash("garbage"), stored)
    assert not receipts.matches(receipts.lookup_hash("7K3M-Q9TX-2HVD-4WPB"), stored)
    assert not receipts.matches(receipts.lookup_hash("7K3M-Q9TX-2HVD-4WPA"), None)


def test_form_tokens_are_stored_only_as_digests():
    token = receipts.new_token()
    assert token not in receipts.token_digest(token)
    assert len(receipts.token_digest(token)) == 64
