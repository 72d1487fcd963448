"""GPU inference worker: a queue-based endpoint."""

from runpod_flash import Endpoint, GpuGroup


@Endpoint(
    name="gpu-inference",
    gpu=GpuGroup.ADA_24,
    workers=(0, 3),
    idle_timeout=120,
    dependencies=["torch"],
    env={"MODEL_ID": "resnet50"},
)
async def infer(image_url: str, top_k: int = 5) -> dict:
    """Classify an image with a pretrained ResNet."""
    import torch  # imported inside: installed only in the worker image

    return {"image": image_url, "top_k": top_k, "torch": torch.__version__}
