"""The HSDS 3.0 API under /hsds/: read-only, paginated with the standard's Page wrapper, built on hsds.mapping."""
