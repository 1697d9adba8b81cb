from etl.reader import LINE, parse_csv


def lines_and(frame, column):
    return list(zip(frame[LINE], frame[column]))


def test_rows_know_their_line_through_blank_comment_and_multiline_rows():
    text = (
        "a,b\n"
        "# a commented example, skipped\n"
        "1,one\n"
        "\n"
        '2,"two\nlines"\n'
        "3,three\n"
    )
    frame, problems = parse_csv(text, "t.csv")
    assert problems == []
    assert lines_and(frame, "a") == [(3, "1"), (5, "2"), (7, "3")]
    assert frame["b"].tolist() == ["one", "two\nlines", "three"]


def test_cells_are_stripped_and_windows_line_endings_read():
    frame, problems = parse_csv("a,b\r\n 1 , x \r\n2,y\r\n", "t.csv")
    assert problems == []
    assert lines_and(frame, "a") == [(2, "1"), (3, "2")]
    assert frame["b"].tolist() == ["x", "y"]


def test_empty_file_is_a_problem():
    frame, problems = parse_csv("  \n", "awards.csv")
    assert frame is None
    assert str(problems[0]) == "awards.csv: file is empty: it needs at least a header line"


def test_header_only_file_has_no_rows():
    frame, problems = parse_csv("a,b\n", "t.csv")
    assert problems == [] and len(frame) == 0


def test_every_row_with_too_many_cells_is_named():
    frame, problems = parse_csv("a,b\n1,2\n3,4,5\n6,7\n8,9,10\n", "t.csv")
    assert frame is None
    assert [str(p) for p in problems] == [
        "t.csv:3: row has 3 cells but the header has 2",
        "t.csv:5: row has 3 cells but the header has 2",
    ]


def test_trailing_blank_cells_are_forgiven():
    frame, problems = parse_csv("a,b\n1,2,,\n3,4\n", "t.csv")
    assert problems == []
    assert lines_and(frame, "b") == [(2, "2"), (3, "4")]


def test_unclosed_quote_names_its_line():
    frame, problems = parse_csv('a,b\n1,2\n3,"four\n5,6\n', "t.csv")
    assert frame is None
    assert str(problems[0]) == 't.csv:3: a quote (") opens a cell that never closes'


def test_duplicate_and_blank_header_cells():
    _, problems = parse_csv("a,a,,b\n1,2,3,4\n", "t.csv")
    assert [str(p) for p in problems] == [
        "t.csv:1: a: column appears twice in the header",
        "t.csv:1: column 3: header cell is blank",
    ]


def test_trailing_blank_header_cells_are_forgiven_when_their_column_is_empty():
    frame, problems = parse_csv("a,b,,\n1,2,,\n3,4,,\n", "t.csv")
    assert problems == []
    assert lines_and(frame, "b") == [(2, "2"), (3, "4")]


def test_cells_under_a_blank_header_cell_are_refused():
    frame, problems = parse_csv("a,b,\n1,2,\n3,4,lost\n", "t.csv")
    assert frame is None
    assert [str(p) for p in problems] == ["t.csv:3: column 3: cell has no column name in the header"]


def test_a_hash_line_inside_a_quoted_cell_is_text_not_a_comment():
    text = 'a,b\n# a comment\n1,"first\n#2 kept\nlast"\n2,two\n'
    frame, problems = parse_csv(text, "t.csv")
    assert problems == []
    assert lines_and(frame, "a") == [(3, "1"), (6, "2")]
    assert frame["b"].tolist() == ["first\n#2 kept\nlast", "two"]


def test_the_fast_and_the_careful_parser_agree():
    # The same rows; a comment line sends the second file to the careful parser.
    rows = 'x,"two\nlines, and a comma"\n"y ""quoted""",plain\n,\nz, padded \n'
    fast, _ = parse_csv("a,b\n" + rows, "t.csv")
    careful, _ = parse_csv("a,b\n" + rows + "# a trailing comment\n", "t.csv")
    assert fast.to_dict("list") == careful.to_dict("list")
    assert lines_and(fast, "a") == [(2, "x"), (4, 'y "quoted"'), (6, "z")]


def test_a_lone_quote_inside_a_cell_is_an_ordinary_character():
    frame, problems = parse_csv('a,b\n1,12" screen\n2,two\n', "t.csv")
    assert problems == []
    assert frame["b"].tolist() == ['12" screen', "two"]
    assert frame["_line"].tolist() == [2, 3]


def test_a_tab_separated_file_is_named_as_such():
    frame, problems = parse_csv("a\tb\n1\t2\n", "t.csv")
    assert frame is None
    assert [str(p) for p in problems] == [
        "t.csv:1: the header is separated by tabs, not commas; save the file as CSV UTF-8 (逗号分隔)"
    ]


def test_a_header_without_a_line_end_is_a_table_without_rows():
    frame, problems = parse_csv("a,b", "t.csv")
    assert problems == [] and len(frame) == 0 and list(frame.columns) == ["a", "b", "_line"]
