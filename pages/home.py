"""Home: what each page teaches, with a small live picture each, and the device in use."""

import streamlit as st

import convlab
from ui import shell
from ui.i18n import language, t
from ui.pictures import thumbnails
from ui.registry import lessons
from ui.urlstate import show_notices

notices, _ = shell.start()
st.title(t("home.title"))
st.markdown(t("home.intro"))
show_notices(notices)
st.caption(t("home.device", device=str(shell.device()), torch=convlab.torch_version()))

cards = lessons()
for row in range(0, len(cards), 3):
    for col, info in zip(st.columns(3), cards[row:row + 3], strict=False):
        with col, st.container(border=True):
            st.subheader(t(info.title_key))
            picture = thumbnails.thumbnail(info.stem, language())
            if picture is not None:
                st.html(picture)
            st.markdown(t(f"home.card.{info.stem}"))
            st.page_link(info.path, label=t("home.open"), icon=":material/arrow_forward:")
shell.finish()
