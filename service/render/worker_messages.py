"""What a render worker and the server say to each other over the worker's pipe.

Every message is one pickled object; the bytes of a render travel beside them, through
the shared window (service/render/png_window.py):

  worker -> server, once:   Ready, or StartFailed
  server -> worker:         a Recipe (service/recipe.py)
  worker -> server:         RenderDone (the PNG, then each variant's bytes, are in the window)
                            or RenderRaised, one per recipe, in the order of the recipes

The server may send a worker up to PIPELINE_DEPTH recipes before the first is answered,
so a busy worker finds its next recipe waiting in the pipe as it finishes one, instead of
idling until the server's loop gets round to handing it one.

worker_main.py is the worker's side, worker_handle.py the server's.
"""

from __future__ import annotations

from dataclasses import dataclass

# Two: the one being rendered and the next. With one, a worker sat idle between renders
# until the loop answered the last and sent the next (about 0.5-2 ms a render at 8
# connections: the machine 12% idle with a queue waiting). More would only commit a
# recipe to a busy worker earlier, while the other might free up first.
PIPELINE_DEPTH = 2


@dataclass(frozen=True, slots=True)
class Rendered:
    """One render as the server gets it back: the card's PNG, its variants and the stage times."""

    png: bytes
    started: float  # time.time() when the worker picked the job up (queue wait = started - submitted)
    blend: float  # seconds
    text: float
    encode: float
    variants: tuple[tuple[str, bytes], ...] = ()  # (name, bytes) per configured variant (card_files.py)
    variant_seconds: float = 0.0

    @property
    def busy_seconds(self) -> float:
        """The worker's own time on this render, every stage."""
        return self.blend + self.text + self.encode + self.variant_seconds

    def window_bytes(self) -> bytes:
        """What the worker writes to the window: the PNG, then each variant's bytes."""
        return b"".join([self.png, *(data for _, data in self.variants)])


@dataclass(frozen=True, slots=True)
class Ready:
    """The worker has mapped its atlas and loaded its fonts."""

    pid: int


@dataclass(frozen=True, slots=True)
class StartFailed:
    """The worker could not build its renderer; it exits after sending this."""

    reason: str  # "Type: message"


@dataclass(frozen=True, slots=True)
class RenderDone:
    """A recipe rendered: the window holds `window_length` bytes from `window_offset`, the
    PNG then each variant."""

    window_offset: int
    png_length: int
    variant_lengths: tuple[tuple[str, int], ...]  # (name, length) in window order
    started: float
    blend: float
    text: float
    encode: float
    variant_seconds: float

    @classmethod
    def of(cls, rendered: Rendered, window_offset: int) -> RenderDone:
        return cls(window_offset, len(rendered.png), tuple((name, len(data)) for name, data in rendered.variants),
                   rendered.started, rendered.blend, rendered.text, rendered.encode, rendered.variant_seconds)

    @property
    def window_length(self) -> int:
        return self.png_length + sum(length for _, length in self.variant_lengths)

    def rendered(self, data: bytes) -> Rendered:
        """The render, from the `window_length` bytes read out of the window."""
        variants, at = [], self.png_length
        for name, length in self.variant_lengths:
            variants.append((name, data[at:at + length]))
            at += length
        return Rendered(data[:self.png_length], self.started, self.blend, self.text, self.encode,
                        tuple(variants), self.variant_seconds)


@dataclass(frozen=True, slots=True)
class RenderRaised:
    """The render raised in the worker; the worker itself is fine and takes the next recipe."""

    error: str  # "Type: message"
    traceback: str
