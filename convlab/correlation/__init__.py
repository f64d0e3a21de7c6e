"""Cross-correlation, the operation a Conv2d layer computes (d2l 7.2 and 7.4).

``corr2d`` slides a kernel over one channel; ``corr2d_multi_in`` sums one kernel per input
channel; ``corr2d_multi_in_out`` stacks one such sum per output channel. Each comes with a
loop reference, and :func:`multichannel_correlation` checks all of them against
``F.conv2d`` for the multi-channel page.
"""

from .correlate import (
    convolve2d_multi_in_out,
    corr2d,
    corr2d_loop,
    corr2d_multi_in,
    corr2d_multi_in_loop,
    corr2d_multi_in_out,
    corr2d_multi_in_out_loop,
    corr2d_partials,
    d2l_two_channel_example,
)
from .multichannel import (
    LOOP_REFERENCE_LIMIT,
    MultiChannelResult,
    Term,
    multichannel_correlation,
    window_terms,
)

__all__ = [
    "convolve2d_multi_in_out", "corr2d", "corr2d_loop", "corr2d_multi_in",
    "corr2d_multi_in_loop", "corr2d_multi_in_out", "corr2d_multi_in_out_loop",
    "corr2d_partials", "d2l_two_channel_example", "LOOP_REFERENCE_LIMIT", "MultiChannelResult",
    "Term", "multichannel_correlation", "window_terms",
]
