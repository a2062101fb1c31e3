"""The kernel manager behind `ciwidgets serve`: culling that spares a page still loading.

Idle culling (`cull_connected=False`) ends kernels no browser is connected to. A kernel
whose page is still loading has no connection either: its notebook has run, but the
browser is still fetching Voilà's scripts. When thirty people open their workbooks at once
on a small server that takes minutes (measured: over 90 s for 30 tabs on 2 cores), and a
short cull timeout would end those kernels under their pages. So a kernel is not culled
before its page has connected once, unless it has waited longer than
`first_connection_grace` (a page that never came: a link preview, a health check).
"""

from __future__ import annotations

import time

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float


class CiwidgetsKernelManager(AsyncMappingKernelManager):
    """`AsyncMappingKernelManager` whose culler waits for a kernel's first connection."""

    first_connection_grace = Float(
        600,
        config=True,
        help="Seconds a kernel that no browser has connected to yet is safe from culling.",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._started_at: dict[str, float] = {}  # kernels not connected to yet

    async def start_kernel(self, **kwargs) -> str:
        # Known from the start: a culling round may come while the kernel is still
        # starting, and such a kernel has no idle time to judge yet.
        kernel_id = kwargs.pop("kernel_id", None) or self.new_kernel_id()
        self._started_at[kernel_id] = time.monotonic()
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        except BaseException:
            self._started_at.pop(kernel_id, None)
            raise

    def remove_kernel(self, kernel_id: str):
        """Every kernel leaving the mapping (shut down, or found dead) passes here."""
        self._started_at.pop(kernel_id, None)
        return super().remove_kernel(kernel_id)

    def notify_connect(self, kernel_id: str) -> None:
        self._started_at.pop(kernel_id, None)
        super().notify_connect(kernel_id)

    def waiting_for_first_connection(self, kernel_id: str) -> bool:
        started = self._started_at.get(kernel_id)
        return started is not None and time.monotonic() - started < self.first_connection_grace

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if self.waiting_for_first_connection(kernel_id):
            return
        await super().cull_kernel_if_idle(kernel_id)
