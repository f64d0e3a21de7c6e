"""ConvLab: page config, the shared sidebar, and navigation over pages/."""

import streamlit as st

from ui import shell
from ui.i18n import t

st.set_page_config(page_title="ConvLab", page_icon=":material/grid_on:", layout="wide")
shell.start()
# Each page's URL path is its file stem (no url_path override): see STYLE.md.
navigation = st.navigation([
    st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", default=True),
    st.Page("pages/output_size.py", title=t("nav.output_size"), icon=":material/straighten:"),
    st.Page("pages/multichannel.py", title=t("nav.multichannel"), icon=":material/layers:"),
])
navigation.run()
