"""Multi-channel cross-correlation (being built)."""

import streamlit as st

from ui.i18n import t

st.title(t("nav.multichannel"))
