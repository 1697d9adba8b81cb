import pytest

from etl.decode import DecodeError, decode_bytes

TEXT = "institution_id,name_zh\ndalian_vtc,大连职业技术学院\n"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8-sig"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
    ],
    ids=["utf-8", "utf-8 with BOM", "gbk", "gb18030"],
)
def test_decodes_what_excel_and_wps_save(raw, encoding):
    text, used = decode_bytes(raw, "institutions.csv")
    assert text == TEXT
    assert used == encoding


def test_utf8_is_tried_before_gb18030():
    # These UTF-8 bytes also decode as GB18030, into the wrong characters.
    raw = "就业".encode("utf-8")
    assert raw.decode("gb18030") != "就业"
    assert decode_bytes(raw, "x.csv") == ("就业", "utf-8-sig")


def test_bom_is_not_part_of_the_first_column_name():
    text, _ = decode_bytes(b"\xef\xbb\xbfinstitution_id\n", "x.csv")
    assert text.startswith("institution_id")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (TEXT.encode("utf-16"), "UTF-16"),
        (TEXT.encode("utf-16-le"), "NUL bytes"),
        (b"\x81\x20\xff\xfe\xfd", "neither UTF-8 nor GB18030"),
    ],
    ids=["utf-16 with BOM", "utf-16 without BOM", "binary"],
)
def test_rejects_other_encodings_by_name(raw, reason):
    with pytest.raises(DecodeError) as error:
        decode_bytes(raw, "observations.csv")
    assert str(error.value).startswith("observations.csv: ")
    assert reason in str(error.value)


def test_short_gbk_that_is_also_valid_utf8_is_read_as_gbk():
    # 约 (D4 BC) and 摘录 (D5 AA C2 BC) in GBK are valid UTF-8: Armenian and Latin letters.
    raw = "value,evidence\n约3500,摘录\n".encode("gbk")
    raw.decode("utf-8")  # does not fail: that is the trap
    assert decode_bytes(raw, "x.csv") == ("value,evidence\n约3500,摘录\n", "gb18030")


def test_real_utf8_with_latin_letters_stays_utf8():
    text = "name_en,name_zh\nÉcole Test,测试学院\n"
    assert decode_bytes(text.encode("utf-8"), "x.csv") == (text, "utf-8-sig")


def test_gbk_lines_that_look_like_utf8_do_not_count_as_mixed():
    raw = "a,b\n约,中文测试\n".encode("gbk")
    assert decode_bytes(raw, "x.csv")[1] == "gb18030"


def test_utf8_is_passed_on_as_bytes_without_its_bom():
    from etl.decode import decode_to_utf8

    assert decode_to_utf8("\ufeff就业,1\n".encode("utf-8"), "x.csv") == ("就业,1\n".encode("utf-8"), "utf-8-sig")
    assert decode_to_utf8("就业".encode("gbk"), "x.csv") == ("就业".encode("utf-8"), "gb18030")


def test_a_file_cut_off_inside_a_character_is_called_cut_off():
    raw = "institution_id,name_zh\nx,大连".encode("utf-8")[:-1]
    with pytest.raises(DecodeError, match="ends in the middle of a character"):
        decode_bytes(raw, "institutions.csv")
