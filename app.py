"""VocDash — placeholder until the dashboard lands."""
import os

import streamlit as st

st.set_page_config(page_title="VocDash 职业院校对比看板", layout="wide")
st.title("VocDash 职业院校对比看板")
st.write("数据仓库 / warehouse:", os.environ.get("VOCDASH_DB", "data/warehouse.duckdb"))
