"""`GET /readyz`: 200 when this replica can take work now, 503 (with the reasons) when not.

Apart from `/healthz` (the process answers): a load balancer stops sending prints to
a replica that is not ready, and keeps it alive. Ready means:
- the dictionary store is open (look-ups can be answered);
- prints can be rendered: a local render process is started, or, for a replica
  without them (`GLOSS_RENDER_WORKERS=0`), Redis answers and a `gloss worker` wrote
  its health-check key within its interval.
With Redis configured, `redis` says whether it answers; a replica that renders itself
stays ready without it (the shared cache and counters wait for it to come back).
"""

from __future__ import annotations

from aiohttp import web

from server.errors import GlossError
from server.printing.render import RenderPool
from server.service.keys import REDIS
from server.service.render_queue import QueueRenderer
from server.service.worker import HEALTH_CHECK_KEY
from server.web.keys import DICTIONARY, RENDER_POOL


async def readyz(request: web.Request) -> web.Response:
    app = request.app
    checks: dict[str, bool] = {}
    dictionary = app.get(DICTIONARY)
    checks["dictionary"] = dictionary is not None and not isinstance(dictionary, GlossError)
    link = app.get(REDIS)
    if link is not None:
        checks["redis"] = await link.ping()
    renderer = app.get(RENDER_POOL)
    if isinstance(renderer, QueueRenderer):
        workers = await link.run(lambda r: r.exists(HEALTH_CHECK_KEY), default=0) if link and checks["redis"] else 0
        checks["render_workers"] = bool(workers)
    elif isinstance(renderer, RenderPool):
        checks["render_workers"] = renderer.ready > 0
    else:
        checks["render_workers"] = False
    needed = [name for name in ("dictionary", "render_workers") if not checks[name]]
    status = 503 if needed else 200
    return web.json_response({"status": "ready" if not needed else "not ready", "checks": checks}, status=status,
                             headers={"Retry-After": "5"} if needed else None)

