import streamlit as st

# The floor of `make bench`: a one-line Streamlit page, what Streamlit itself costs on this machine.
st.title("VocDash")
