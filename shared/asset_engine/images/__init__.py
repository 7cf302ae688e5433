"""Images: SDXL jobs on RunPod, their callback, and the pictures they make."""
