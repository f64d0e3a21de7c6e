"""ConvLab: page config and navigation over pages/.

The shared sidebar (menu, language, device) is drawn by ``ui.shell.start()`` at the top
of every page rather than here: with a ``pages/`` folder, Streamlit runs a deep-linked
page file directly (without this script) until the main script has run once in the
process, and AppTest always does. Starting the shell in each page keeps the sidebar in
both cases, and the built-in menu is hidden in favour of the shell's translated one.
"""

import streamlit as st

from ui import shell
from ui.i18n import t

shell.configure()
# Each page's URL path is its file stem (no url_path override): see STYLE.md.
navigation = st.navigation(
    [st.Page(path, title=t(title), icon=icon, default=(i == 0))
     for i, (path, title, icon) in enumerate(shell.PAGES)],
    position="hidden",
)
navigation.run()
