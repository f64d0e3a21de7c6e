"""The floor for the browser benchmarks: three number inputs and their sum, nothing else.

benchmarks/browser_latency.py serves it beside the real app and divides by its figures;
what remains above this app's latency is ConvLab's own cost.

    streamlit run benchmarks/trivial_app.py
"""

import streamlit as st

a = st.number_input("a", min_value=0, max_value=100, value=1, key="a")
b = st.number_input("b", min_value=0, max_value=100, value=2, key="b")
c = st.number_input("c", min_value=0, max_value=100, value=3, key="c")
st.write(a + b + c)
