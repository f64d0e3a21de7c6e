"""A page's state in its URL: typed parameters, validated and clamped on the way in.

Each page declares its parameters once. On the first run of a page in a session the
values come from ``st.query_params`` (so a copied link reopens the same view); every
value that had to be corrected produces a notice the page shows. After the widgets have
run, :meth:`PageState.sync` writes the current values back to the URL. Garbage never
raises: a value that cannot be read falls back to the default, with a notice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ui.i18n import t

MAX_RAW = 2000  # longest URL value looked at; longer ones are refused outright


@dataclass(frozen=True)
class Notice:
    """One corrected URL value: ``reason`` is a translation key."""

    name: str
    raw: str
    value: Any
    reason: str


@dataclass(frozen=True)
class Param:
    """Base: a named URL parameter with a default; subclasses parse and format."""

    name: str
    default: Any

    def parse(self, raw: str) -> tuple[Any, str | None]:  # (value, reason key or None)
        raise NotImplementedError

    def format(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class IntParam(Param):
    lo: int = 0
    hi: int = 1

    def parse(self, raw: str) -> tuple[Any, str | None]:
        try:
            number = float(raw.strip())
        except ValueError:
            return self.default, "url.not_a_number"
        if not math.isfinite(number):
            return self.default, "url.not_a_number"
        value = round(number)
        clamped = min(max(value, self.lo), self.hi)
        if clamped != value:
            return clamped, "url.out_of_range"
        if value != number:
            return value, "url.rounded"
        return value, None


@dataclass(frozen=True)
class ChoiceParam(Param):
    choices: Sequence[str] = ()

    def parse(self, raw: str) -> tuple[Any, str | None]:
        value = raw.strip()
        return (value, None) if value in self.choices else (self.default, "url.unknown_choice")


@dataclass(frozen=True)
class BoolParam(Param):
    def parse(self, raw: str) -> tuple[Any, str | None]:
        value = raw.strip().lower()
        if value in ("1", "true", "yes", "on"):
            return True, None
        if value in ("0", "false", "no", "off"):
            return False, None
        return self.default, "url.not_a_bool"

    def format(self, value: Any) -> str:
        return "1" if value else "0"


@dataclass(frozen=True)
class TextParam(Param):
    """A value with its own codec: ``decode`` returns the value or raises ValueError."""

    decode: Callable[[str], Any] = str
    encode: Callable[[Any], str] = str

    def parse(self, raw: str) -> tuple[Any, str | None]:
        try:
            return self.decode(raw), None
        except (ValueError, TypeError, OverflowError):
            return self.default, "url.unreadable"

    def format(self, value: Any) -> str:
        return self.encode(value)


@dataclass
class PageState:
    """The URL parameters of one page; widget keys are ``"<page>.<name>"``."""

    page: str
    params: list[Param]
    notices: list[Notice] = field(default_factory=list)

    def key(self, name: str) -> str:
        return f"{self.page}.{name}"

    def __getitem__(self, name: str) -> Any:
        return st.session_state[self.key(name)]

    def __setitem__(self, name: str, value: Any) -> None:
        st.session_state[self.key(name)] = value

    def load(self, entering: bool) -> None:
        """Seed widget state: from the URL on entering the page, defaults for anything missing.

        Args:
            entering: whether this run entered the page (a link opened, a page switched);
                only then is the URL read, so a widget the user moved is not overwritten.
        """
        self.notices = []
        if entering:
            self._restore()
        for p in self.params:
            key = self.key(p.name)
            raw = _raw(p.name) if entering else None
            if raw is not None:
                value, reason = (p.default, "url.too_long") if len(raw) > MAX_RAW else p.parse(raw)
                st.session_state[key] = value
                if reason:
                    self.notices.append(Notice(p.name, raw[:60], p.format(value), reason))
            elif key not in st.session_state:
                st.session_state[key] = p.default
        if entering:
            st.session_state[f"_notices.{self.page}"] = self.notices
        else:
            self.notices = st.session_state.get(f"_notices.{self.page}", [])
        if entering:  # the sections the link names open
            for name in (_raw(OPEN) or "").split(",")[:MAX_OPEN]:
                if SECTION_NAME.fullmatch(name):
                    st.session_state[self.key(f"open.{name}")] = True
        if self.page != SHARED and st.session_state.pop(_LANGUAGE_CHANGED, False):
            # A choice widget's browser-side value is its words: in the old language they
            # match no option of the new one, so the browser keeps showing them. Setting
            # the value from Python makes Streamlit send it again, worded anew.
            for p in self.params:
                if isinstance(p, ChoiceParam):
                    key = self.key(p.name)
                    st.session_state[key] = st.session_state[key]

    def _restore(self) -> None:
        """Entering the page with none of its own parameters in the URL (the menu, the
        browser's Back button): its last state in this session, written into the URL so
        that everything after reads it as a link would."""
        own = {p.name for p in self.params} | {OPEN}
        saved = st.session_state.get(_SAVED + self.page)
        if saved and not any(k in own for k in st.query_params):
            for name, value in saved.items():
                st.query_params[name] = value

    def values(self) -> dict[str, Any]:
        return {p.name: st.session_state[self.key(p.name)] for p in self.params}

    def query(self) -> dict[str, str]:
        """Non-default values, formatted for the URL, and the open sections (``open``)."""
        out = {}
        for p in self.params:
            value = st.session_state.get(self.key(p.name), p.default)
            if value != p.default:
                out[p.name] = p.format(value)
        prefix = self.key("open.")
        # One snapshot of the state (items() would look every key up again, under a lock).
        opened = sorted(k[len(prefix):] for k, v in st.session_state.to_dict().items()
                        if isinstance(k, str) and k.startswith(prefix) and v is True)
        if opened:
            out[OPEN] = ",".join(opened)
        return out

    def sync(self, extra: dict[str, str] | None = None) -> None:
        """Write this page's state (and the shared ``extra`` values) into the URL."""
        own = self.query()
        if self.page != SHARED:  # kept for the next visit in this session (see _restore)
            st.session_state[_SAVED + self.page] = own
        wanted = {**(extra or {}), **own}
        current = {k: st.query_params.get(k) for k in st.query_params}
        if current != wanted:
            st.query_params.from_dict(wanted)


OPEN = "open"  # the URL parameter naming a page's open sections: open=more,overlap
MAX_OPEN = 16
SECTION_NAME = re.compile(r"[a-z_]{1,32}")
SHARED = "app"  # the state every page shares (language, device)
_SAVED = "_saved_query."
_LANGUAGE_CHANGED = "_language_changed"


def language_changed() -> None:
    """Mark this run as the one that changed the language (see :meth:`PageState.load`)."""
    st.session_state[_LANGUAGE_CHANGED] = True


def _raw(name: str) -> str | None:
    try:
        values = st.query_params.get_all(name)
    except Exception:  # a malformed query string must not break the page
        return None
    return values[-1] if values else None


def show_notices(notices: Sequence[Notice]) -> None:
    """One visible box listing every URL value that had to be corrected."""
    if not notices:
        return
    lines = [t(n.reason, name=n.name, raw=n.raw, value=n.value) for n in notices]
    st.warning(t("url.corrected_title") + "\n\n" + "\n".join(f"- {line}" for line in lines),
               icon=":material/link:")
