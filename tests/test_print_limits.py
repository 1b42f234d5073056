"""The render pool's limits, tripped one by one against real worker processes."""

from __future__ import annotations

import asyncio
import resource

import pytest

from server.errors import GatewayTimeout, PayloadTooLarge
from server.printing.render import RenderPool
from server.settings import Settings

# A document whose layout needs well over 100 MiB: 300 tables of 100 cells.
HEAVY = "<html><body>" + "".join(f"<table>{'<tr><td>x</td><td>y</td></tr>' * 50}</table>"
                                 for _ in range(300)) + "</body></html>"


def vm_size_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmSize:"))
    return int(line.split()[1]) * 1024


async def test_out_of_memory_is_413_and_the_worker_is_replaced():
    pool = RenderPool(Settings(render_workers=1, render_timeout=300, render_max_pages=100_000))
    await pool.start()
    try:
        await pool.wait_ready()
        (worker,) = pool._all
        # The worker capped itself at render_memory_mb; tighten that cap to 30 MiB above what
        # it uses now, so the heavy document trips it wherever the machine's baseline lies.
        pid = worker.process.pid
        _soft, hard = resource.prlimit(pid, resource.RLIMIT_AS)
        resource.prlimit(pid, resource.RLIMIT_AS, (vm_size_bytes(pid) + 30 * 1024 * 1024, hard))
        with pytest.raises(PayloadTooLarge) as error:
            await pool.render(HEAVY)
        assert "MiB" in error.value.detail
        await asyncio.to_thread(worker.process.join, 30)  # it is stopped in the background
        assert not worker.process.is_alive()
        result = await pool.render("<p>After</p>")  # a fresh worker serves the next request
        assert result.pdf.startswith(b"%PDF-") and result.pages == 1
    finally:
        await pool.close()


async def test_address_space_cap_is_set_in_the_worker():
    pool = RenderPool(Settings(render_workers=1, render_memory_mb=1536))
    await pool.start()
    try:
        await pool.wait_ready()
        (worker,) = pool._all
        soft, _hard = resource.prlimit(worker.process.pid, resource.RLIMIT_AS)
        assert soft == 1536 * 1024 * 1024
    finally:
        await pool.close()


async def test_timeout_kills_the_worker_and_replaces_it():
    pool = RenderPool(Settings(render_workers=1, render_timeout=0.2))
    await pool.start()
    try:
        await pool.wait_ready()
        (worker,) = pool._all
        with pytest.raises(GatewayTimeout):
            await pool.render(HEAVY)
        await asyncio.to_thread(worker.process.join, 30)  # it is stopped in the background
        assert not worker.process.is_alive()
        pool.timeout = 120
        assert (await pool.render("<p>After</p>")).pages == 1
        assert worker not in pool._all and len(pool._all) == 1
    finally:
        await pool.close()
