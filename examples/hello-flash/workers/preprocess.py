"""CPU preprocessing worker."""

from runpod_flash import Endpoint


@Endpoint(name="preprocess", cpu="cpu3c-1-2", workers=(1, 2))
def resize(image_url: str, width: int = 224, height: int = 224) -> dict:
    """Resize an image before inference."""
    return {"image": image_url, "size": [width, height]}
