"""The atlas: its file format (format.py, sections.py), the server's catalog view
(catalog.py), the memory-mapped pages a worker draws from (pages.py) and the live version
with hot reload (live.py). docs/ARCHITECTURE.md says who may import what."""
