"""ConvLab: page config and navigation over pages/.

The shared sidebar (menu, language, device) is drawn by the page frame at the top of
every page rather than here: with a ``pages/`` folder, Streamlit runs a deep-linked page
file directly (without this script) until the main script has run once in the process,
and AppTest always does. The built-in menu is hidden in favour of the frame's translated one.
"""

import streamlit as st

from ui import shell
from ui.i18n import t
from ui.registry import pages

shell.configure(record=False)  # the page's own call records the page it enters
# Each page's URL path is its file stem (no url_path override): a differing path makes the
# first deep link on a fresh server show "Page not found" while pages/ exists.
navigation = st.navigation(
    [st.Page(p.path, title=t(p.title_key), icon=p.icon, default=(i == 0))
     for i, p in enumerate(pages())],
    position="hidden",
)
navigation.run()
