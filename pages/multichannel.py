"""Multi-channel cross-correlation (being built)."""

import streamlit as st

from ui import shell
from ui.i18n import t

shell.start()

st.title(t("nav.multichannel"))
shell.finish()
