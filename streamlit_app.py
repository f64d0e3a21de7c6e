"""ConvLab: page config and navigation over pages/.

The shared sidebar (language, device) is drawn by ``ui.shell.start()`` at the top of
every page rather than here: with a ``pages/`` folder, Streamlit runs a deep-linked page
file directly (without this script) until the main script has run once in the process,
and AppTest always does. Starting the shell in each page keeps the sidebar in both cases.
"""

import streamlit as st

from ui import shell
from ui.i18n import t

shell.configure()
# Each page's URL path is its file stem (no url_path override): see STYLE.md.
navigation = st.navigation([
    st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", default=True),
    st.Page("pages/output_size.py", title=t("nav.output_size"), icon=":material/straighten:"),
    st.Page("pages/multichannel.py", title=t("nav.multichannel"), icon=":material/layers:"),
])
navigation.run()
