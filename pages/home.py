"""Home: what each page teaches, with a small live picture each, and the device in use."""

import streamlit as st

import convlab
from ui import charts, shell
from ui.i18n import language, t

shell.start()
st.title(t("home.title"))
st.markdown(t("home.intro"))
device = shell.device()
st.caption(t("home.device", device=str(device), torch=convlab.torch_version()))


@st.cache_data(show_spinner=False)
def pictures(lang: str) -> tuple[dict, dict]:
    """Two thumbnails computed by convlab: a padded 4x4 input and d2l's 56 72 104 120.

    ``lang`` keys the cache: the thumbnails' tooltips are translated.
    """
    spec = convlab.Conv2dSpec(1, 1, 3, padding=1)
    labels = {k: t(f"os.role.{k}") for k in ("input", "padding", "tap", "unread", "coverage",
                                               "role")}
    index = convlab.window_index_map(4, 3, padding=1)
    frame = charts.padded_grid_frame(spec.padded_example((4, 4)), (1, 1, 4, 4),
                                     convlab.window_coverage(4, 3, padding=1),
                                     index[0, 0].reshape(-1, 2).tolist(), labels)
    grid = charts.padded_grid_chart(frame, 6, 6, labels, "", legend=False).properties(
        width=150, height=150)
    X, K = convlab.d2l_two_channel_example()
    Y = convlab.corr2d_multi_in(X, K).numpy()
    heat = charts.heatmap(charts.heatmap_frame(Y, [(0, 0)]), 2, 2, "", float(abs(Y).max()),
                          px_budget=150)
    return grid.to_dict(), heat.to_dict()


grid, heat = pictures(language())
cards = [
    ("pages/output_size.py", "home.card_os", "home.card_os_text", grid),
    ("pages/multichannel.py", "home.card_mc", "home.card_mc_text", heat),
]
cols = st.columns(len(cards))
for col, (page, title, text, picture) in zip(cols, cards, strict=True):
    with col, st.container(border=True):
        st.subheader(t(title))
        st.vega_lite_chart(spec=picture, key=f"home.pic.{page}", width="content", theme=None)
        st.markdown(t(text))
        st.page_link(page, label=t("home.open"), icon=":material/arrow_forward:")
st.info(t("home.soon"), icon=":material/construction:")
shell.finish()
