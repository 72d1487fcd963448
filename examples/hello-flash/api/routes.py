"""Public HTTP API: a load-balanced endpoint whose routes call the workers."""

from runpod_flash import Endpoint

# Import the modules, not the functions: a module-level `from workers.preprocess
# import resize` would make `flash build` discover `resize` here too and refuse
# ("endpoint 'preprocess' is defined in multiple files").
from workers import gpu_worker, preprocess

api = Endpoint(name="public-api", cpu="cpu3c-1-2", workers=(1, 4))


@api.post("/classify")
async def classify(body: dict) -> dict:
    """Resize, then classify."""
    small = await preprocess.resize(body["image_url"])
    return await gpu_worker.infer(small["image"], top_k=body.get("top_k", 5))


@api.get("/health")
async def health() -> dict:
    return {"ok": True}
