"""Editable number tables: ``st.data_editor`` with refusal of bad cells."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import streamlit as st

from ui.decoders import tensor_text as tt
from ui.i18n import t


def matrix_editor(key: str, M: np.ndarray, label: str) -> np.ndarray:
    """Show ``M`` (2-D) for editing; return the edited matrix, or ``M`` if a cell is bad.

    The widget key includes a digest of ``M``, so a matrix replaced from elsewhere (a
    preset, a resize) starts a fresh editor instead of replaying old edits onto it.
    An empty, non-numeric or huge cell is refused with a message naming it, and the last
    valid matrix is kept.
    """
    digest = hashlib.blake2s(M.tobytes() + str(M.shape).encode(), digest_size=6).hexdigest()
    frame = pd.DataFrame(M, columns=[str(j) for j in range(M.shape[1])])
    edited = st.data_editor(frame, key=f"{key}.{digest}", hide_index=False,
                            num_rows="fixed", width="content")
    matrix, cell, reason = tt.table_to_matrix(edited)
    if matrix is None:
        assert cell is not None
        st.warning(t(f"edit.{reason}", table=label, row=cell[0], col=cell[1]),
                   icon=":material/edit_off:")
        return M
    return matrix
