import csv
import io

from dashboard import exports, queries, transforms
from dashboard.filters import Filters


def test_csv_download_bytes(ref):
    obs = queries.observations(ref, Filters(types=("technician_college",)))
    table = transforms.tidy_table(obs, "zh")
    raw = exports.csv_bytes(table)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS read UTF-8
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["院校", "主题", "指标", "时期"]
    assert len(rows) == 1 + len(obs)
    assert {row[0] for row in rows[1:]} == {"宁波第二技师学院"}
    assert "\r\n" in text  # Excel's line ends
    assert any("80.2.%" in cell for row in rows for cell in row)  # evidence kept verbatim
