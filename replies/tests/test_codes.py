"""The reply code: long, random, forgiving to type, checked before the database is asked."""

from replies.codes import ALPHABET, LENGTH, code_digest, code_display, code_new, code_normalize


def test_a_code_has_85_random_bits_and_a_check_character():
    codes = {code_new() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert len(code) == LENGTH == 18 and set(code) <= set(ALPHABET)
    assert (len(ALPHABET).bit_length() - 1) * (LENGTH - 1) >= 80


def test_typing_is_forgiving_about_case_spaces_dashes_and_look_alike_letters():
    code = code_new()
    shown = code_display(code)
    assert shown.count("-") == 2
    assert code_normalize(shown) == code
    assert code_normalize(f"  {shown.lower().replace('-', ' ')} ") == code
    assert code_normalize(code.replace("0", "O").replace("1", "l")) == code


def test_one_mistyped_character_is_caught_by_the_check():
    code = code_new()
    for position in range(LENGTH):
        for other in ALPHABET:
            if other != code[position]:
                assert code_normalize(code[:position] + other + code[position + 1 :]) is None


def test_what_cannot_be_a_code_is_refused():
    assert code_normalize("") is None
    assert code_normalize("1234") is None
    assert code_normalize(code_new() + "A") is None
    assert code_normalize("<script>alert(1)</script>") is None


def test_only_a_digest_is_stored():
    code = code_new()
    assert code not in code_digest(code) and len(code_digest(code)) == 64
