"""The render worker's pipe messages (service/render/worker_messages.py), without a process."""

from __future__ import annotations

import pickle

from service.render.worker_messages import RenderDone, Rendered


def test_a_render_crosses_as_lengths_and_comes_back_whole_from_the_window_bytes() -> None:
    rendered = Rendered(b"PNG-bytes", started=100.0, blend=0.001, text=0.002, encode=0.003,
                        variants=(("webp", b"webp!"), ("thumb", b"")), variant_seconds=0.004)
    done = pickle.loads(pickle.dumps(RenderDone.of(rendered, 16)))
    assert done.variant_lengths == (("webp", 5), ("thumb", 0)) and done.window_length == 14 and done.window_offset == 16
    window = rendered.window_bytes()
    assert window == b"PNG-byteswebp!"
    assert done.rendered(window) == rendered

